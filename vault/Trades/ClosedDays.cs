using Pipeline.Vault.Layout;
using Pipeline.Vault.State;

namespace Pipeline.Vault.Trades;

/// <summary>
/// Markers that a raw day is complete although no exporter watermark passed its end:
/// state/closed-days/{exchange}/{instId}/{yyyy-MM-dd}.json, written by backfill after it merged the
/// whole day (and by backtest for its scratch vault). Under state/, never raw/, so no raw glob sees it.
/// The calculators finalise a day only on an exporter watermark past its end, this marker, or its
/// Parquet twin; a later day file alone proves nothing.
/// </summary>
public static class ClosedDays
{
    public static string MarkerPath(VaultLayout layout, string exchange, string instId, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(layout);
        return Path.Combine(layout.StateDir, "closed-days", VaultNames.Exchange(exchange), VaultNames.InstId(instId),
            VaultLayout.DayFileName(day, ".json"));
    }

    public static bool IsMarked(VaultLayout layout, string exchange, string instId, DateOnly day) =>
        File.Exists(MarkerPath(layout, exchange, instId, day));

    /// <summary>Marks <paramref name="day"/> complete (atomic, idempotent); <paramref name="by"/> names the writer.</summary>
    public static void Mark(VaultLayout layout, string exchange, string instId, DateOnly day, string by, DateTimeOffset at) =>
        new StateFile<ClosedDay>(MarkerPath(layout, exchange, instId, day)).Write(new ClosedDay(exchange, instId, day, by, at));
}

/// <summary>The content of a closed-day marker (informative: its existence is what counts).</summary>
public sealed record ClosedDay(string Exchange, string InstId, DateOnly Day, string By, DateTimeOffset ClosedAt);
