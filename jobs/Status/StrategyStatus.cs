using System.Globalization;
using System.Text.Json;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Status;

/// <summary>
/// One paper strategy as status shows it: its open position (side, size, entry), realised net PnL of its closed
/// round trips, and the unrealised PnL of the open position marked at the last bars_1m close in the vault.
/// </summary>
public sealed record StrategyStatus
{
    public required string Strategy { get; init; }
    public string? Exchange { get; init; }
    public string? InstId { get; init; }

    /// <summary>"long", "short" or null when flat.</summary>
    public string? Side { get; init; }
    public decimal? Qty { get; init; }
    public decimal? EntryPx { get; init; }
    public long? EntryTs { get; init; }

    /// <summary>A resting entry order: "long"/"short" at its limit price, or null.</summary>
    public string? PendingEntry { get; init; }

    /// <summary>Net PnL (quote, after fees) of the closed round trips in the ledger, and how many.</summary>
    public decimal Realized { get; init; }

    /// <summary>The currency PnL is booked in (USDT for a linear swap, the coin for an inverse one), when the ledger says.</summary>
    public string? PnlCcy { get; init; }
    public int RoundTrips { get; init; }

    /// <summary>The open position's PnL at <see cref="MarkPx"/>: gross, and net of the entry fee (the exit fee is not yet paid).</summary>
    public decimal? UnrealizedGross { get; init; }
    public decimal? UnrealizedNet { get; init; }
    public decimal? MarkPx { get; init; }

    /// <summary>End of the minute whose close is the mark (Unix ms).</summary>
    public long? MarkTs { get; init; }

    /// <summary>The last minute the executor decided (its start, Unix ms), and when it saved its state.</summary>
    public long? LastMinuteMs { get; init; }
    public long? UpdatedAt { get; init; }

    /// <summary>The last decision written (derived/signals/…): its action and reason, e.g. "warming up: the 1h window has 23 of 60 minutes".</summary>
    public string? LastDecision { get; init; }

    /// <summary>
    /// Risk halts in force (state/risk/): the kill switch, and the daily-loss and volatility halts whose end lies after the
    /// gate's last event, e.g. "kill_switch since 2026-01-05T10:00:00.000Z". Empty when none.
    /// </summary>
    public IReadOnlyList<string> Halts { get; init; } = [];

    /// <summary>Why the state or ledger could not be read, else null.</summary>
    public string? Error { get; init; }

    /// <summary>"paper" (the paper executor's state/executor/{id}.json) or "live" (a venue executor's state/venue/{id}.json).</summary>
    public string Mode { get; init; } = "paper";

    /// <summary>Live: the venue its orders go to (binance, okx).</summary>
    public string? Venue { get; init; }

    /// <summary>Live: the fees the venue charged over the ledger's fills.</summary>
    public decimal? FeesPaid { get; init; }

    /// <summary>Live: set while the venue's position differs from the ledger's (no new entries until flat).</summary>
    public string? PositionMismatch { get; init; }

    /// <summary>The paper executor's order and fill counts (its state's sequence numbers; 0 without a state): for /health, not shown by status.</summary>
    internal long OrderSeq { get; init; }
    internal long FillSeq { get; init; }

    /// <summary>Every strategy with a ledger or an executor state in the vault, by name.</summary>
    public static IReadOnlyList<StrategyStatus> ReadAll(VaultLayout vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(vault.LedgerDir))
        {
            names.UnionWith(Directory.EnumerateDirectories(vault.LedgerDir).Select(Path.GetFileName).OfType<string>().Where(VaultNames.IsName));
        }

        var riskDir = RiskStore.Directory(vault);
        if (Directory.Exists(riskDir))
        {
            names.UnionWith(Directory.EnumerateFiles(riskDir, "*.json").Select(Path.GetFileName).OfType<string>()
                .Select(f => f.EndsWith(".kill.json", StringComparison.Ordinal) ? f[..^".kill.json".Length] : f[..^".json".Length])
                .Where(VaultNames.IsName));
        }

        foreach (var stateDir in new[] { Path.GetDirectoryName(vault.ExecutorState("x"))!, Path.GetDirectoryName(vault.VenueState("x"))! })
        {
            if (Directory.Exists(stateDir))
            {
                names.UnionWith(Directory.EnumerateFiles(stateDir, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>().Where(VaultNames.IsName));
            }
        }

        return names.Select(n => Read(vault, n)).ToList();
    }

    public static StrategyStatus Read(VaultLayout vault, string strategy)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ExecutorState? state = null;
        try
        {
            state = new StateFile<ExecutorState>(vault.ExecutorState(strategy)).Read();
            var fills = LedgerReader.ReadFills(vault, strategy);
            var closed = PerformanceReport.FromFills(fills);
            var status = new StrategyStatus
            {
                Strategy = strategy, Exchange = state?.Exchange, InstId = state?.InstId,
                OrderSeq = state?.Engine.OrderSeq ?? 0, FillSeq = state?.Engine.FillSeq ?? 0,
                Realized = closed.NetPnl, RoundTrips = closed.TradeCount,
                PnlCcy = closed.PnlCcy ?? fills.Select(f => f.FeeCcy).FirstOrDefault(c => c is not null),
                LastMinuteMs = state?.Engine.LastMinuteMs, UpdatedAt = state?.UpdatedAt,
                PendingEntry = state?.Engine.Entry is { } e
                    ? $"{(e.IsLong ? "long" : "short")} {ExactDecimal.Format(e.Qty)} @ {ExactDecimal.Format(e.LimitPx)}"
                    : null,
                Halts = RiskHalts(vault, strategy),
            };

            if (state is null && LiveStrategyStatus.Read(vault, strategy, status) is { } live)
            {
                return live with { LastDecision = LastSignal(vault, strategy, live.Exchange!, live.InstId!) };
            }

            if (state is not null)
            {
                status = status with { LastDecision = LastSignal(vault, strategy, state.Exchange, state.InstId) };
            }

            if (state?.Engine.Position is not { } position)
            {
                return status;
            }

            status = status with
            {
                Side = position.IsLong ? "long" : "short", Qty = position.Qty, EntryPx = position.EntryPx, EntryTs = position.EntryTs,
            };
            var entry = fills.LastOrDefault(f => f.PositionId == position.PositionId && f.Kind == "entry");
            if (entry is null || LastClose(vault, state.Exchange, state.InstId) is not { } mark)
            {
                return status;
            }

            // Marked with the executor's own round-trip PnL (the report's), as if the position closed at the mark
            // without an exit fee: whatever the executor's PnL rule is (linear, inverse), status shows the same.
            var markFill = new FillEvent(mark.Ts, "mark", "mark", position.PositionId, "mark", position.IsLong ? "sell" : "buy",
                mark.Px, position.Qty, entry.Notional, "mark", 0m, 0m, null);
            var trip = PerformanceReport.FromFills([entry, markFill]).Trades.Single();
            return status with { UnrealizedGross = trip.GrossPnl, UnrealizedNet = trip.NetPnl, MarkPx = mark.Px, MarkTs = mark.Ts };
        }
        catch (Exception ex) when (ex is StateFileCorruptException or InvalidDataException or IOException or UnauthorizedAccessException or JsonException)
        {
            return new StrategyStatus { Strategy = strategy, Error = ex.Message, OrderSeq = state?.Engine.OrderSeq ?? 0, FillSeq = state?.Engine.FillSeq ?? 0 };
        }
    }

    private static List<string> RiskHalts(VaultLayout vault, string strategy)
    {
        var halts = new List<string>();
        if (RiskStore.KillFile(vault, strategy).Read() is { Active: true } kill)
        {
            halts.Add($"kill_switch since {PaperTradingEngine.Iso(kill.SetAtMs)}" + (kill.Reason.Length > 0 ? $" ({kill.Reason})" : string.Empty));
        }

        if (RiskStore.StateFile(vault, strategy).Read() is { } risk)
        {
            halts.AddRange(risk.Halts.Where(h => h.UntilMs > risk.Now).Select(h => h.Reason.Contains(" until ", StringComparison.Ordinal)
                ? $"{h.Kind}: {h.Reason}"
                : $"{h.Kind} until {PaperTradingEngine.Iso(h.UntilMs)}: {h.Reason}"));
        }

        return halts;
    }

    /// <summary>"none: close inside bands" from the last complete line of the strategy's last signals day, or null.</summary>
    private static string? LastSignal(VaultLayout vault, string strategy, string exchange, string instId)
    {
        var dir = Path.GetDirectoryName(vault.SignalsDay(strategy, exchange, instId, DateOnly.MinValue))!;
        var days = VaultLayout.ListDays(dir);
        if (days.Count == 0)
        {
            return null;
        }

        var path = vault.SignalsDay(strategy, exchange, instId, days[^1]);
        var line = File.Exists(path) ? File.ReadLines(path).LastOrDefault(l => l.EndsWith('}')) : null;
        if (line is null)
        {
            return null;
        }

        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        return root.TryGetProperty("action", out var action) && root.TryGetProperty("reason", out var reason)
            ? $"{action.GetString()}: {reason.GetString()}"
            : null;
    }

    /// <summary>The close of the last bars_1m minute of the instrument (and that minute's end), or null.</summary>
    internal static (decimal Px, long Ts)? LastClose(VaultLayout vault, string exchange, string instId)
    {
        var dir = vault.DerivedInstrumentDir(MinuteFieldMap.Default.BarsCalc, exchange, instId);
        foreach (var day in VaultLayout.ListDays(dir).Reverse())
        {
            var path = Path.Combine(dir, VaultLayout.DayFileName(day, ".jsonl"));
            if (!File.Exists(path))
            {
                continue;
            }

            foreach (var line in File.ReadLines(path).Reverse())
            {
                if (!line.EndsWith('}'))
                {
                    continue; // a line being written
                }

                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                if (root.TryGetProperty(MinuteFieldMap.Default.CloseField, out var close) && close.ValueKind == JsonValueKind.String
                    && ExactDecimal.TryParse(System.Text.Encoding.UTF8.GetBytes(close.GetString()!), out var px)
                    && DateTimeOffset.TryParse(root.GetProperty(MinuteFieldMap.Default.MinuteField).GetString(), CultureInfo.InvariantCulture,
                        DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var minute))
                {
                    return (px, minute.ToUnixTimeMilliseconds() + TradeTime.MsPerMinute);
                }
            }
        }

        return null;
    }

    /// <summary>One line: "vwap_run_test okx BTC-USDT-SWAP: LONG 0.0163 @ 61234.5 since … unrealised … realised … as of …".</summary>
    public string Text()
    {
        if (Error is not null)
        {
            return $"{Strategy}: UNREADABLE ({Error})";
        }

        var where = (Exchange is null ? string.Empty : $" {Exchange} {InstId}") + (Mode == "live" ? $" LIVE on {Venue}" : string.Empty);
        var position = Side is null
            ? "flat" + (PendingEntry is { } p ? $" (entry order {p})" : string.Empty)
            : $"{Side.ToUpperInvariant()} {Num(Math.Round(Qty!.Value, 8, MidpointRounding.ToEven))} @ {Num(EntryPx!.Value)} since {Time(EntryTs!.Value)}"
              + (UnrealizedNet is { } net
                  ? $"; unrealised {Signed(net)}{Ccy} net ({Signed(UnrealizedGross!.Value)}{Ccy} gross) at {Num(MarkPx!.Value)}, the close of {Time(MarkTs!.Value - TradeTime.MsPerMinute)}"
                  : "; unrealised: no close to mark at");
        var realized = $"realised {Signed(Realized)}{Ccy} over {RoundTrips.ToString(CultureInfo.InvariantCulture)} round trip(s)";
        var asOf = LastMinuteMs is { } m
            ? $"decided up to {Time(m)}" + (LastDecision is { } d ? $" ({d})" : string.Empty)
            : "nothing decided yet";
        var saved = UpdatedAt is > 0 ? $", state saved {Time(UpdatedAt.Value, seconds: true)}" : string.Empty;
        var halted = Halts.Count > 0 ? "; HALTED: " + string.Join("; ", Halts) : string.Empty;
        var fees = FeesPaid is { } paid ? $"; fees {Signed(paid)}{Ccy}" : string.Empty;
        var mismatch = PositionMismatch is { } why ? "; POSITION MISMATCH: " + why : string.Empty;
        return $"{Strategy}{where}: {position}; {realized}{fees}; {asOf}{saved}{halted}{mismatch}";
    }

    private string Ccy => PnlCcy is null ? string.Empty : " " + PnlCcy;

    private static string Num(decimal value) => ExactDecimal.Format(value);

    private static string Signed(decimal value)
    {
        var rounded = Math.Round(value, 4, MidpointRounding.ToEven);
        return (rounded > 0 ? "+" : string.Empty) + ExactDecimal.Format(rounded);
    }

    private static string Time(long ms, bool seconds = false) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString(seconds ? "yyyy-MM-dd HH:mm:ss" : "yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
