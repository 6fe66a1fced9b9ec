using System.Globalization;
using System.Text.Json;
using Pipeline.Simulator.Trading;

namespace Pipeline.Testing.Trading;

/// <summary>
/// Reads the simulator's trading truth for one account (what the venue really did, including what a fault kept from
/// the client), so a test can check a ledger against it field by field. Safe while the simulator writes: a last line
/// without its newline is not read yet.
/// </summary>
public sealed class TradingTruth
{
    private TradingTruth(IReadOnlyList<TradingTruthEvent> events) => Events = events;

    /// <summary>Every line, in the order the venue wrote them.</summary>
    public IReadOnlyList<TradingTruthEvent> Events { get; }

    /// <summary>The account's truth as it stands now (empty when the account has no file yet).</summary>
    public static TradingTruth Read(string truthDir, string account)
    {
        var path = PrivateTruthLog.PathOf(truthDir, account);
        if (!File.Exists(path))
        {
            return new TradingTruth([]);
        }

        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }

        var complete = text.LastIndexOf('\n');
        var events = complete < 0
            ? []
            : text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Parse).ToList();
        return new TradingTruth(events);
    }

    /// <summary>The accepted orders (first event of each client id that was not refused), oldest first.</summary>
    public IReadOnlyList<TradingTruthEvent> Orders(string? instId = null) =>
        [.. Events.Where(e => e.Event != "refused" && (instId is null || e.InstId == instId))
            .GroupBy(e => e.ClientOrderId, StringComparer.Ordinal).Select(g => g.First()).OrderBy(e => e.OrderId)];

    /// <summary>Every fill (one per venue trade id), oldest first.</summary>
    public IReadOnlyList<TradingTruthEvent> Fills(string? instId = null) =>
        [.. Events.Where(e => e.IsFill && (instId is null || e.InstId == instId))];

    /// <summary>The refusals, oldest first.</summary>
    public IReadOnlyList<TradingTruthEvent> Refused(string? instId = null) =>
        [.. Events.Where(e => e.Event == "refused" && (instId is null || e.InstId == instId))];

    /// <summary>The latest event of an order by client id (null when the venue never accepted it).</summary>
    public TradingTruthEvent? Latest(string clientOrderId) =>
        Events.LastOrDefault(e => e.Event != "refused" && e.ClientOrderId == clientOrderId);

    /// <summary>The orders still open at the venue (their latest event leaves them new or partially filled).</summary>
    public IReadOnlyList<TradingTruthEvent> OpenOrders(string? instId = null) =>
        [.. Orders(instId).Select(o => Latest(o.ClientOrderId)!).Where(e => e.Status is "new" or "partiallyfilled")];

    /// <summary>The signed position in <paramref name="instId"/> after the last fill (0 without fills).</summary>
    public decimal Position(string instId)
    {
        var fills = Fills(instId);
        return fills.Count == 0 ? 0m : fills[^1].Position ?? 0m;
    }

    private static TradingTruthEvent Parse(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var e = doc.RootElement;
        return new TradingTruthEvent
        {
            Ts = e.GetProperty("ts").GetInt64(),
            Event = e.GetProperty("event").GetString()!,
            ClientOrderId = e.GetProperty("clientOrderId").GetString()!,
            InstId = e.GetProperty("instId").GetString()!,
            OrderId = e.TryGetProperty("orderId", out var id) ? id.GetInt64() : null,
            Side = Text(e, "side"),
            Type = Text(e, "type"),
            Price = Number(e, "price"),
            Qty = Number(e, "qty"),
            Status = Text(e, "status"),
            Filled = Number(e, "filled"),
            TradeId = e.TryGetProperty("tradeId", out var trade) ? trade.GetInt64() : null,
            FillPx = Number(e, "fillPx"),
            FillQty = Number(e, "fillQty"),
            Liquidity = Text(e, "liquidity"),
            Fee = Number(e, "fee"),
            RealizedPnl = Number(e, "realizedPnl"),
            Position = Number(e, "position"),
            EntryPx = Number(e, "entryPx"),
            Wallet = Number(e, "wallet"),
            Reason = Text(e, "reason"),
        };
    }

    private static string? Text(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static decimal? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? decimal.Parse(v.GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) : null;
}
