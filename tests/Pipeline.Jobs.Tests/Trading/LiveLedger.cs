using System.Globalization;
using System.Text.Json;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Tests.Trading;

/// <summary>One line of ledger/{id}/orders.jsonl.</summary>
internal sealed record LedgerOrderLine(long Ts, string OrderId, string Event, string Kind, string Side, string Type, decimal? Px, decimal? Qty, string Reason);

/// <summary>One line of ledger/{id}/fills.jsonl.</summary>
internal sealed record LedgerFillLine(long Ts, string FillId, string OrderId, string Kind, string Side, decimal Px, decimal Qty, string Liquidity, decimal Fee, string? TradeId);

/// <summary>One line of derived/signals/{id}/…: a decided minute.</summary>
internal sealed record SignalLine(long MinuteMs, string Action, string Reason, decimal Close, decimal? Vwap, decimal? Sigma, decimal? Upper, decimal? Lower, decimal? Adx);

/// <summary>
/// A strategy's ledger and signals as a process left them on disk (read while it runs: a last line without its newline
/// is not read yet), for checks against the simulator's truth and between a live and a paper run.
/// </summary>
internal sealed class LiveLedger
{
    private LiveLedger(IReadOnlyList<LedgerOrderLine> orders, IReadOnlyList<LedgerFillLine> fills, IReadOnlyList<SignalLine> signals)
    {
        Orders = orders;
        Fills = fills;
        Signals = signals;
    }

    public IReadOnlyList<LedgerOrderLine> Orders { get; }

    public IReadOnlyList<LedgerFillLine> Fills { get; }

    public IReadOnlyList<SignalLine> Signals { get; }

    /// <summary>The client order ids of entries written as "sending" (each order once).</summary>
    public IReadOnlyList<string> EntriesSent => [.. Orders.Where(o => o.Kind == "entry" && o.Event == "sending").Select(o => o.OrderId).Distinct()];

    /// <summary>The signed position the fills add up to (base units: buys +, sells −).</summary>
    public decimal Position => Fills.Sum(f => f.Side == "buy" ? f.Qty : -f.Qty);

    public static LiveLedger Read(string vaultDir, string strategy, string exchange, string instId)
    {
        var layout = new VaultLayout(vaultDir);
        var orders = Lines(layout.LedgerOrders(strategy)).Select(e => new LedgerOrderLine(
            e.GetProperty("ts").GetInt64(), e.GetProperty("orderId").GetString()!, e.GetProperty("event").GetString()!,
            e.GetProperty("kind").GetString()!, e.GetProperty("side").GetString()!, e.GetProperty("type").GetString()!,
            Number(e, "px"), Number(e, "qty"), e.GetProperty("reason").GetString() ?? "")).ToList();
        var fills = Lines(layout.LedgerFills(strategy)).Select(e => new LedgerFillLine(
            e.GetProperty("ts").GetInt64(), e.GetProperty("fillId").GetString()!, e.GetProperty("orderId").GetString()!,
            e.GetProperty("kind").GetString()!, e.GetProperty("side").GetString()!, Number(e, "px")!.Value, Number(e, "qty")!.Value,
            e.GetProperty("liquidity").GetString()!, Number(e, "fee")!.Value,
            e.TryGetProperty("tradeId", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)).ToList();
        var dir = Path.GetDirectoryName(layout.SignalsDay(strategy, exchange, instId, new DateOnly(2000, 1, 1)))!;
        var signals = (Directory.Exists(dir) ? Directory.GetFiles(dir, "*.jsonl").Order(StringComparer.Ordinal) : Enumerable.Empty<string>())
            .SelectMany(Lines).Select(e => new SignalLine(
                DateTimeOffset.Parse(e.GetProperty("minute").GetString()!, CultureInfo.InvariantCulture).ToUnixTimeMilliseconds(),
                e.GetProperty("action").GetString()!, e.GetProperty("reason").GetString()!, Number(e, "close")!.Value,
                Number(e, "vwap"), Number(e, "sigma"), Number(e, "upper"), Number(e, "lower"), Number(e, "adx"))).ToList();
        return new LiveLedger(orders, fills, signals);
    }

    private static List<JsonElement> Lines(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        string text;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        using (var reader = new StreamReader(stream))
        {
            text = reader.ReadToEnd();
        }

        var complete = text.LastIndexOf('\n');
        return complete < 0
            ? []
            : [.. text[..complete].Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
            {
                using var doc = JsonDocument.Parse(l);
                return doc.RootElement.Clone();
            })];
    }

    private static decimal? Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? decimal.Parse(v.GetString()!, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture)
            : null;
}
