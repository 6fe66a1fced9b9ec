using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Trading;

/// <summary>Whether a strategy's orders are simulated (paper, the default) or sent to the exchange (live).</summary>
public enum TradingMode
{
    Paper,
    Live,
}

public static class TradingModes
{
    /// <summary><c>paper</c> (also when absent) or <c>live</c>; anything else is a usage error naming <paramref name="source"/>.</summary>
    public static TradingMode Parse(string? text, string source) => text?.Trim().ToUpperInvariant() switch
    {
        null or "" or "PAPER" => TradingMode.Paper,
        "LIVE" => TradingMode.Live,
        _ => throw new UsageException($"{source}: mode must be paper or live, not '{text}'"),
    };
}
