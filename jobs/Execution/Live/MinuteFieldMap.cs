using Pipeline.Jobs.Strategies.VwapMeanReversion;

namespace Pipeline.Jobs.Execution.Live;

/// <summary>
/// Where the live reader finds each minute input: the calculator (derived/{calc}/…) and the field
/// name in its JSON lines. The ONE place to align with the calculators' output names. Records
/// are joined on <see cref="MinuteField"/> ("2025-12-14T21:34:00Z"); values may be decimal strings,
/// JSON numbers or null.
/// </summary>
public sealed record MinuteFieldMap
{
    public static MinuteFieldMap Default { get; } = new();

    public string MinuteField { get; init; } = "minute";

    public string BarsCalc { get; init; } = "bars_1m";
    public string CloseField { get; init; } = "close";
    public string MaxMove5sBpsField { get; init; } = "maxMove5sBps";

    public string VwapCalc { get; init; } = "vwap";
    public string Vwap1hField { get; init; } = "vwap1h";
    public string Vwap4hField { get; init; } = "vwap4h";
    public string VwapSessionField { get; init; } = "vwapSession";

    public string Trades1hField { get; init; } = "trades1h";
    public string Trades4hField { get; init; } = "trades4h";
    public string TradesSessionField { get; init; } = "tradesSession";

    public string BandsCalc { get; init; } = "bands";
    public string Sigma1hField { get; init; } = "sigma1h";
    public string Sigma4hField { get; init; } = "sigma4h";
    public string SigmaSessionField { get; init; } = "sigmaSession";

    public string AdxCalc { get; init; } = "adx";
    public string AdxField { get; init; } = "adx";

    // The microstructure outputs (read only for a strategy that uses them: StrategyConfig.UsesMicro).
    public string KyleCalc { get; init; } = "kyle";
    public string KyleLambdaField { get; init; } = "lambda";

    public string OfiCalc { get; init; } = "ofi";
    public string OfiField { get; init; } = "ofi";
    public string OfiZField { get; init; } = "ofiZ";

    public string MicroPriceCalc { get; init; } = "microprice";
    public string MicroPriceField { get; init; } = "microPrice";
    public string ImbalanceField { get; init; } = "imbalance";
    public string DivergenceBpsField { get; init; } = "divergenceBps";
    public string DivergenceZField { get; init; } = "divergenceZ";

    public string VpinCalc { get; init; } = "vpin";
    public string VpinField { get; init; } = "vpin";

    public string BookDepthCalc { get; init; } = "bookdepth";
    public string BidDepthField { get; init; } = "bidDepth";
    public string AskDepthField { get; init; } = "askDepth";

    public string VwapField(BandWindow window) => window switch
    {
        BandWindow.OneHour => Vwap1hField,
        BandWindow.FourHours => Vwap4hField,
        _ => VwapSessionField,
    };

    /// <summary>The window's trade count: null while the window warms up, so it tells warming up from "no trades".</summary>
    public string TradesField(BandWindow window) => window switch
    {
        BandWindow.OneHour => Trades1hField,
        BandWindow.FourHours => Trades4hField,
        _ => TradesSessionField,
    };

    public string SigmaField(BandWindow window) => window switch
    {
        BandWindow.OneHour => Sigma1hField,
        BandWindow.FourHours => Sigma4hField,
        _ => SigmaSessionField,
    };
}
