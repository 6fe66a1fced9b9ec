using System.Text.Json;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Strategies;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Execution.Venue;

/// <summary>
/// The venue executor's ledger: the same files and line formats as paper (ledger/{id}/orders.jsonl, fills.jsonl,
/// positions.jsonl, derived/signals/...), written by the paper's <see cref="LedgerWriter"/>, but append-only: nothing
/// is ever cut back, because a line about an order that may exist at the venue must never disappear. On open every existing line is read into an index (client ids
/// sent and their last event, fill ids recorded, positions opened and closed, the last signal minute), so a replay
/// after a crash writes nothing twice. <see cref="Order"/> of a "sending" line fsyncs before it returns.
/// </summary>
internal sealed class VenueLedger : IDisposable
{
    private readonly VaultLayout _vault;
    private readonly StrategyConfig _config;
    private readonly LedgerWriter _writer;

    private VenueLedger(VaultLayout vault, StrategyConfig config)
    {
        _vault = vault;
        _config = config;
        ReadOrders(vault.LedgerOrders(config.Id));
        ReadFills();
        ReadPositions(vault.LedgerPositions(config.Id));
        LastSignalMinuteMs = ReadLastSignalMinute();
        _writer = LedgerWriter.OpenAppend(vault, config);
    }

    /// <summary>Every client order id in the ledger, in the order of their first line.</summary>
    public Dictionary<string, LedgerOrderState> Orders { get; } = new(StringComparer.Ordinal);

    public List<LedgerOrderState> OrderSequence { get; } = [];

    public HashSet<string> FillIds { get; } = new(StringComparer.Ordinal);

    public long? LastFillTs { get; private set; }

    /// <summary>The last fills in file order (at most <see cref="RecentFillCount"/>), to re-book in a risk gate whose state may lag the ledger.</summary>
    public Queue<FillEvent> RecentFills { get; } = new();

    /// <summary>Fewer than the risk gate remembers (256), so a fill it booked is still known to it.</summary>
    public const int RecentFillCount = 64;

    /// <summary>Positions with an "open" line, and with a "close" line.</summary>
    public HashSet<string> Opened { get; } = new(StringComparer.Ordinal);

    public HashSet<string> Closed { get; } = new(StringComparer.Ordinal);

    /// <summary>Entries opened and realised net % of notional per UTC day (the paper engine's daily gates).</summary>
    public Dictionary<DateOnly, (int Entries, decimal NetPct, decimal Net)> Days { get; } = [];

    public decimal RealizedNet { get; private set; }

    public decimal FeesPaid { get; private set; }

    public long? LastSignalMinuteMs { get; private set; }

    /// <summary>Lines appended since open (any file): whether there is anything to sync.</summary>
    public long Writes { get; private set; }

    public static VenueLedger Open(VaultLayout vault, StrategyConfig config)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(config);
        return new VenueLedger(vault, config);
    }

    /// <summary>Appends an order line; a "sending" line is fsynced before this returns (the intent is durable before the request leaves).</summary>
    public LedgerOrderState Order(OrderEvent order)
    {
        ArgumentNullException.ThrowIfNull(order);
        Writes++;
        _writer.OnOrder(order);
        var state = Apply(order);
        if (order.Event == "sending")
        {
            _writer.SyncOrders();
        }

        return state;
    }

    public void Fill(FillEvent fill)
    {
        ArgumentNullException.ThrowIfNull(fill);
        Writes++;
        _writer.OnFill(fill);
        Apply(fill);
    }

    public void Position(PositionEvent position)
    {
        ArgumentNullException.ThrowIfNull(position);
        Writes++;
        _writer.OnPosition(position);
        Apply(position);
    }

    /// <summary>Writes a decision, unless a line of that minute (or a later one) is already there (a replayed minute).</summary>
    public void Signal(SignalRecord signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (LastSignalMinuteMs is { } last && signal.MinuteMs <= last)
        {
            return;
        }

        Writes++;
        _writer.OnSignal(signal);
        LastSignalMinuteMs = signal.MinuteMs;
    }

    public void Sync() => _writer.Sync();

    public void Dispose() => _writer.Dispose();

    private LedgerOrderState Apply(OrderEvent order)
    {
        if (!Orders.TryGetValue(order.OrderId, out var state))
        {
            state = new LedgerOrderState(order.OrderId, order.Kind, order.Side, order.Type, order.Px, order.Qty, order.PositionId,
                order.ExpiresTs, order.Ts);
            Orders.Add(order.OrderId, state);
            OrderSequence.Add(state);
        }

        if (!state.IsFinal)
        {
            state.LastEvent = order.Event;
        }

        return state;
    }

    private void Apply(FillEvent fill)
    {
        FillIds.Add(fill.FillId);
        RecentFills.Enqueue(fill);
        if (RecentFills.Count > RecentFillCount)
        {
            RecentFills.Dequeue();
        }

        FeesPaid += fill.Fee;
        LastFillTs = Math.Max(LastFillTs ?? long.MinValue, fill.Ts);
        if (Orders.TryGetValue(fill.OrderId, out var order))
        {
            order.FilledQty += fill.Qty;
            order.FilledValue += fill.Qty * fill.Px;
            order.Fees += fill.Fee;
            order.FirstFillTs ??= fill.Ts;
            order.LastFillTs = fill.Ts;
        }
    }

    private void Apply(PositionEvent position)
    {
        if (position.Event == "open")
        {
            if (Opened.Add(position.PositionId))
            {
                var day = TradeTime.Day(position.EntryTs);
                var d = Days.GetValueOrDefault(day);
                Days[day] = d with { Entries = d.Entries + 1 };
            }
        }
        else if (position.Event == "close" && Closed.Add(position.PositionId))
        {
            var day = TradeTime.Day(position.Ts);
            var d = Days.GetValueOrDefault(day);
            Days[day] = d with { NetPct = d.NetPct + (position.NetReturnPct ?? 0m), Net = d.Net + (position.NetPnl ?? 0m) };
            RealizedNet += position.NetPnl ?? 0m;
        }
    }

    private void ReadOrders(string path)
    {
        foreach (var (root, _) in Lines(path))
        {
            Apply(new OrderEvent(root.GetProperty("ts").GetInt64(), Text(root, "orderId")!, Text(root, "positionId"), Text(root, "event")!,
                Text(root, "kind")!, Text(root, "side")!, Text(root, "type")!, Dec(root, "px"), Dec(root, "qty"),
                root.TryGetProperty("expiresTs", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt64() : null,
                Text(root, "reason") ?? ""));
        }
    }

    private void ReadFills()
    {
        foreach (var fill in LedgerReader.ReadFills(_vault, _config.Id))
        {
            Apply(fill);
        }
    }

    private void ReadPositions(string path)
    {
        foreach (var (root, _) in Lines(path))
        {
            Apply(new PositionEvent(root.GetProperty("ts").GetInt64(), Text(root, "positionId")!, Text(root, "event")!,
                Text(root, "direction") ?? "", Dec(root, "qty"), Dec(root, "notional"), Dec(root, "entryPx"),
                root.GetProperty("entryTs").GetInt64(), null, Text(root, "exitReason"), null, Dec(root, "fees"),
                OptDec(root, "netPnl"), OptDec(root, "netReturnPct")));
        }
    }

    private long? ReadLastSignalMinute()
    {
        var dir = Path.GetDirectoryName(_vault.SignalsDay(_config.Id, _config.Exchange, _config.InstId, DateOnly.MinValue))!;
        var days = VaultLayout.ListDays(dir);
        for (var i = days.Count - 1; i >= 0; i--)
        {
            long? last = null;
            foreach (var (root, _) in Lines(_vault.SignalsDay(_config.Id, _config.Exchange, _config.InstId, days[i])))
            {
                last = root.GetProperty("minute").GetDateTimeOffset().ToUnixTimeMilliseconds();
            }

            if (last is not null)
            {
                return last;
            }
        }

        return null;
    }

    /// <summary>The complete lines of a ledger file as JSON; a line that is not JSON is an error naming file and offset.</summary>
    private static IEnumerable<(JsonElement Root, long Offset)> Lines(string path)
    {
        if (!File.Exists(path))
        {
            yield break;
        }

        using var reader = JsonlReader.Open(path);
        while (reader.TryReadLine(out var line, out var offset))
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(line.ToArray());
            }
            catch (JsonException ex)
            {
                throw new InvalidDataException($"{path}@{offset}: not a ledger line ({ex.Message})", ex);
            }

            using (doc)
            {
                yield return (doc.RootElement, offset);
            }
        }
    }

    private static string? Text(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static decimal Dec(JsonElement r, string name) => OptDec(r, name) ?? 0m;

    private static decimal? OptDec(JsonElement r, string name) =>
        Text(r, name) is { } s ? ExactDecimal.Parse(s) : null;
}
