using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Jobs.Execution.Venue;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;

namespace Pipeline.Jobs.Status;

/// <summary>
/// A live strategy as <c>status</c> shows it: its venue and decision progress from state/venue/{id}.json, its position and
/// PnL from the ledger of fills the venue reported (the state file keeps no position: the ledger and the venue are the
/// record), the open position marked at the last bars_1m close as for paper.
/// </summary>
internal static class LiveStrategyStatus
{
    /// <summary>The strategy's live status, or null when it has no venue state (a paper strategy).</summary>
    public static StrategyStatus? Read(VaultLayout vault, string strategy, StrategyStatus paper)
    {
        var state = new StateFile<VenueState>(vault.VenueState(strategy)).Read();
        if (state is null)
        {
            return null;
        }

        var fills = LedgerReader.ReadFills(vault, strategy);
        var status = paper with
        {
            Mode = "live", Venue = state.Venue, Exchange = state.Exchange, InstId = state.InstId,
            LastMinuteMs = state.LastMinuteMs, UpdatedAt = state.UpdatedAt, PositionMismatch = state.PositionMismatch,
            FeesPaid = fills.Sum(f => f.Fee),
        };
        var position = 0m;
        foreach (var fill in fills)
        {
            position += fill.Side == "buy" ? fill.Qty : -fill.Qty;
        }

        if (position == 0m)
        {
            return status;
        }

        // The open position's entry: the entry fills of the newest position that holds one (a partial fill is part of it).
        var open = fills.LastOrDefault(f => f.Kind == "entry")?.PositionId;
        var entries = fills.Where(f => f.PositionId == open && f.Kind == "entry").ToList();
        var qty = Math.Abs(position);
        var isLong = position > 0;
        if (entries.Count == 0)
        {
            return status with { Side = isLong ? "long" : "short", Qty = qty };
        }

        var entryQty = entries.Sum(f => f.Qty);
        var entryPx = entries.Sum(f => f.Px * f.Qty) / entryQty;
        var first = entries[0];
        status = status with { Side = isLong ? "long" : "short", Qty = qty, EntryPx = entryPx, EntryTs = first.Ts };
        if (StrategyStatus.LastClose(vault, state.Exchange, state.InstId) is not { } mark)
        {
            return status;
        }

        // One entry of the open size at the average price and the entry fees in proportion, closed at the mark with no
        // exit fee: the report's own round-trip PnL, as status computes it for paper.
        var share = qty / entryQty;
        var entry = first with
        {
            Px = entryPx, Qty = qty, Notional = entries.Sum(f => f.Notional) * share, Fee = entries.Sum(f => f.Fee) * share,
        };
        var markFill = new FillEvent(mark.Ts, "mark", "mark", entry.PositionId, "mark", isLong ? "sell" : "buy", mark.Px, qty, entry.Notional,
            "mark", 0m, 0m, null) { Inverse = entry.Inverse };
        var trip = PerformanceReport.FromFills([entry, markFill]).Trades.Single();
        return status with { UnrealizedGross = trip.GrossPnl, UnrealizedNet = trip.NetPnl, MarkPx = mark.Px, MarkTs = mark.Ts };
    }
}
