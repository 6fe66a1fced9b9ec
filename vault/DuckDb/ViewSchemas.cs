using System.Globalization;

namespace Pipeline.Vault.DuckDb;

/// <summary>
/// The fixed schema of every view, taken from the writers' record formats (calculators' minute lines,
/// the raw trade line, the signal and ledger lines): creating the views reads no data file. A field a
/// file does not have is NULL; a field a file has but the view does not declare is not shown.
/// </summary>
/// <remarks>
/// Decimal types are chosen so the product of two recorded values and its sum stay exact: DuckDB types
/// DECIMAL(38,a) × DECIMAL(38,b) as DECIMAL(38,a+b), so amounts (scale 10) multiply into notionals
/// (scale 20) with 18 integer digits left for the product and its sums. A value that does not fit its
/// column's type (more decimals or integer digits than the type has) is never rounded: the view shows it as
/// unrepresentable (in <c>trades</c> a query reading it fails with the value named; a derived value is NULL).
/// </remarks>
public static class ViewSchemas
{
    public const int AmountScale = 10;
    public const int NotionalScale = 20;
    public const int ComputedScale = 28;

    /// <summary>Recorded prices and quantities: |x| &lt; 10^28, 10 decimals.</summary>
    public const string AmountType = "DECIMAL(38,10)";

    /// <summary>Exact sums of price × quantity: |x| &lt; 10^18, 20 decimals.</summary>
    public const string NotionalType = "DECIMAL(38,20)";

    /// <summary>Computed values (C# decimal's 28 decimals): |x| &lt; 10^10, 28 decimals.</summary>
    public const string ComputedType = "DECIMAL(38,28)";

    /// <summary>A book side in the <c>book</c> view: price levels best first, each an exact price and size.</summary>
    public const string LevelsType = "STRUCT(px DECIMAL(38,10), sz DECIMAL(38,10))[]";

    /// <summary>The band multipliers the calculators use unless <c>--bands</c> says otherwise (bands' columns).</summary>
    public static IReadOnlyList<decimal> DefaultBandMultipliers { get; } = [1m, 2m];

    public static string DecimalTypeOf(ViewColumnKind kind) => kind switch
    {
        ViewColumnKind.Amount => AmountType,
        ViewColumnKind.Notional => NotionalType,
        ViewColumnKind.Computed => ComputedType,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a decimal kind"),
    };

    private static ViewColumn T(string name) => new(name, ViewColumnKind.Text);
    private static ViewColumn I(string name) => new(name, ViewColumnKind.WholeNumber);
    private static ViewColumn A(string name) => new(name, ViewColumnKind.Amount);
    private static ViewColumn N(string name) => new(name, ViewColumnKind.Notional);
    private static ViewColumn C(string name) => new(name, ViewColumnKind.Computed);
    private static ViewColumn Iso(string name) => new(name, ViewColumnKind.IsoTime);
    private static ViewColumn Ms(string name) => new(name, ViewColumnKind.MsTime);

    /// <summary>The raw trade line (RawTradeWriter): path parts exchange, instId and date come first in the view.</summary>
    public static IReadOnlyList<ViewColumn> Trades { get; } =
    [
        T("tradeId"), Ms("ts"), A("px"), A("sz"), T("side"), A("ctVal"), A("ctMult"), T("ctType"), T("ctValCcy"),
        A("qtyBase"), Ms("recvTs"), T("src"), I("count"), I("firstId"), I("lastId"),
    ];

    /// <summary>
    /// The microstructure lines (MicroLineWriter) after exchange, instId and date (from the path): prices, sizes and
    /// open interest DECIMAL(38,10), the funding rate DECIMAL(38,28) (a rate, with up to 28 decimals), event and receive
    /// times TIMESTAMPTZ, sequence ids BIGINT, and the book's sides as lists of {px, sz} structs.
    /// </summary>
    public static IReadOnlyList<ViewColumn> Micro(Pipeline.Vault.Micro.MicroKind kind) => kind switch
    {
        Pipeline.Vault.Micro.MicroKind.Quotes =>
            [Ms("ts"), I("seq"), A("bidPx"), A("bidSz"), A("askPx"), A("askSz"), Ms("recvTs"), T("src")],
        Pipeline.Vault.Micro.MicroKind.Book =>
        [
            T("type"), Ms("ts"), I("seq"), I("prevSeq"), I("firstSeq"), new("bids", ViewColumnKind.Levels), new("asks", ViewColumnKind.Levels),
            I("checksum"), T("reason"), Ms("recvTs"), T("src"),
        ],
        Pipeline.Vault.Micro.MicroKind.Liquidations =>
        [
            Ms("ts"), T("side"), A("px"), A("sz"), A("avgPx"), A("filledSz"), T("status"), T("posSide"), A("bkLoss"), Ms("recvTs"), T("src"),
        ],
        Pipeline.Vault.Micro.MicroKind.Derivatives =>
        [
            Ms("ts"), T("channel"), A("markPx"), A("indexPx"), C("fundingRate"), Ms("nextFundingTime"), A("openInterest"), A("openInterestCcy"),
            Ms("recvTs"), T("src"),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a micro kind"),
    };

    /// <summary>Minute records (calculators' MinuteLine, after minute/exchange/instId), by view.</summary>
    public static IReadOnlyList<ViewColumn> Minute(string view, IReadOnlyList<decimal>? bandMultipliers = null) => view switch
    {
        "bars_1m" =>
        [
            A("open"), A("high"), A("low"), A("close"), I("trades"), A("volBase"), N("volQuote"), A("buyVolBase"),
            A("sellVolBase"), N("sumPx2Qty"), T("firstTradeId"), T("lastTradeId"), C("maxMove5sBps"),
        ],
        "vwap" =>
        [
            C("vwap1m"), C("vwap1h"), C("vwap4h"), C("vwapSession"), I("trades1h"), I("trades4h"), I("tradesSession"),
            A("vol1h"), A("vol4h"), A("volSession"),
        ],
        "bands" => Bands(bandMultipliers ?? DefaultBandMultipliers),
        "cvd" => [A("buyVol"), A("sellVol"), A("delta"), A("cvdSession"), A("cvdTotal")],
        "adx" => [A("tr"), A("plusDm"), A("minusDm"), C("atr"), C("plusDi"), C("minusDi"), C("dx"), C("adx")],
        "kyle" => [A("dp"), A("signedVol"), C("lambda")],
        "ofi" => [A("ofi"), A("ofiRolling"), I("quotes"), C("ofiZ")],
        "microprice" => [C("microPrice"), C("mid"), C("imbalance"), A("lastTradePx"), C("divergence"), C("divergenceBps"), C("divergenceZ")],
        "vpin" => [C("vpin"), I("buckets"), I("bucketsTotal")],
        "bookdepth" => [C("mid"), C("imbalance"), A("bidDepth"), A("askDepth"), C("depthImbalance"), I("resyncs")],
        _ => throw new ArgumentOutOfRangeException(nameof(view), view, "not a minute view"),
    };

    /// <summary>The signal line (LedgerJson.WriteSignal) after minute and strategy/exchange/instId (from the path).</summary>
    public static IReadOnlyList<ViewColumn> Signals { get; } =
    [
        T("action"), T("reason"), A("close"), C("vwap"), C("sigma"), C("upper"), C("lower"), C("adx"), C("maxMove5sBps"),
    ];

    /// <summary>Ledger lines (LedgerJson) after ts and strategy (from the path), by file.</summary>
    public static IReadOnlyList<ViewColumn> Ledger(string file) => file switch
    {
        "orders" =>
        [
            Iso("time"), T("orderId"), T("positionId"), T("event"), T("kind"), T("side"), T("type"), C("px"), C("qty"),
            I("expiresTs"), T("reason"),
        ],
        "fills" =>
        [
            Iso("time"), T("fillId"), T("orderId"), T("positionId"), T("kind"), T("side"), C("px"), C("qty"), C("notional"),
            T("liquidity"), C("feeRate"), C("fee"), T("tradeId"), T("notionalCcy"), T("feeCcy"), T("ctType"),
        ],
        "positions" =>
        [
            Iso("time"), T("positionId"), T("event"), T("direction"), C("qty"), C("notional"), C("entryPx"), I("entryTs"),
            C("exitPx"), T("exitReason"), C("grossPnl"), C("fees"), C("netPnl"), C("netReturnPct"), T("notionalCcy"), T("pnlCcy"),
            T("ctType"),
        ],
        _ => throw new ArgumentOutOfRangeException(nameof(file), file, "not a ledger file"),
    };

    /// <summary>The leading time column of the minute and signal views.</summary>
    public static ViewColumn MinuteColumn { get; } = Iso("minute");

    /// <summary>The leading time column of the ledger views.</summary>
    public static ViewColumn LedgerTsColumn { get; } = Ms("ts");

    private static List<ViewColumn> Bands(IReadOnlyList<decimal> multipliers)
    {
        var columns = new List<ViewColumn> { C("sigma1h"), C("sigma4h"), C("sigmaSession") };
        foreach (var window in (string[])["1h", "4h", "Session"])
        {
            foreach (var m in multipliers)
            {
                // As BandsIndicator names them: "1" for 1, "2p5" for 2.5.
                var suffix = m.ToString("0.############################", CultureInfo.InvariantCulture).Replace('.', 'p');
                columns.Add(C($"upper{window}_{suffix}"));
                columns.Add(C($"lower{window}_{suffix}"));
            }
        }

        return columns;
    }
}
