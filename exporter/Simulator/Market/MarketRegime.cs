namespace Pipeline.Simulator.Market;

/// <summary>The state of a 5-minute period: how busy and how volatile the tape is.</summary>
public enum MarketRegime
{
    Quiet,
    Normal,
    Trend,
    Burst,
}
