using System.Globalization;
using Pipeline.Exporter.Instruments;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;
using Serilog;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// Where an instrument's recording resumes, with the raw files as the truth. The state's last id is trusted
/// when its line is in the tail (scanned from its day), or when the tail holds no line at all (a REST baseline
/// set before any trade). Otherwise (a state id above everything on disk would drop every new trade as a
/// duplicate; one far below would ask REST for billions of ids) the state is ignored: the last two days'
/// lines rebuild the window, and a warning names both values.
/// </summary>
public sealed record RecorderResume(RecorderResume.Position? Trusted, List<RawTailScanner.IdEntry> Entries, int Lines, int Days, bool Corrected)
{
    private const long Margin = 10 * TradeTime.MsPerMinute;

    public readonly record struct Position(long Id, long Ts);

    public static RecorderResume Find(VaultLayout vault, InstrumentSpec spec, ExporterState? state, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(log);
        var days = vault.RawDays(spec.Exchange, spec.InstId);
        var entries = new List<RawTailScanner.IdEntry>();
        if (state is { LastTradeId: { } text, LastTs: { } stateTs } &&
            long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var stateId))
        {
            var facts = new RawTailScanner.Facts();
            var lines = 0;
            var scanned = 0;
            // A ts outside the vault's days cannot be the day of a line: nothing to scan there.
            if (days.Count > 0 && stateTs - Margin >= TradeTime.DayStartMs(days[0]) - TradeTime.MsPerDay &&
                stateTs < TradeTime.DayStartMs(days[^1]) + (2 * TradeTime.MsPerDay))
            {
                var from = TradeTime.Day(stateTs - Margin);
                foreach (var day in days.Where(d => d >= from))
                {
                    lines += RawTailScanner.Scan(vault.RawDayJsonl(spec.Exchange, spec.InstId, day), stateId, entries, facts);
                    scanned++;
                }

                facts.FoundTs ??= FindInParquet(vault, spec, TradeTime.Day(stateTs), stateId, facts, log);
            }

            if (facts.FoundTs is { } foundTs)
            {
                if (foundTs != stateTs)
                {
                    log.Warning("{Exchange} {InstId}: state says trade {TradeId} is at {StateTs} but the raw file has it at {FileTs}; using the file",
                        spec.Exchange, spec.InstId, stateId, stateTs, foundTs);
                }

                entries.Sort((a, b) => a.First.CompareTo(b.First));
                return new RecorderResume(new Position(stateId, foundTs), entries, lines, scanned, foundTs != stateTs);
            }

            var tail = ScanTail(vault, spec, days, new RawTailScanner.Facts());
            if (tail.Entries.Count == 0 && facts.MaxId is null)
            {
                // Nothing on disk contradicts it (no line at all): a baseline taken before any trade was written.
                return new RecorderResume(new Position(stateId, stateTs), entries, lines, scanned, false);
            }

            var last = tail.Entries.Count > 0 ? tail.Entries.MaxBy(e => e.Last) : default;
            log.Warning("{Exchange} {InstId}: state says the last contiguous trade is {StateId} at {StateTs}, but the raw files do not " +
                "hold it (their last trade is {FileId} at {FileTs}); the files are the truth: resuming from them and correcting the state",
                spec.Exchange, spec.InstId, stateId, EventTimeCheck.Describe(stateTs), last.Last, EventTimeCheck.Describe(last.Ts));
            return tail with { Corrected = true };
        }

        return ScanTail(vault, spec, days, null);
    }

    /// <summary>No usable state: every line of the last two days rebuilds the window.</summary>
    private static RecorderResume ScanTail(VaultLayout vault, InstrumentSpec spec, IReadOnlyList<DateOnly> days, RawTailScanner.Facts? facts)
    {
        var entries = new List<RawTailScanner.IdEntry>();
        var lines = 0;
        var tail = days.TakeLast(2).ToList();
        foreach (var day in tail)
        {
            lines += RawTailScanner.Scan(vault.RawDayJsonl(spec.Exchange, spec.InstId, day), long.MinValue, entries, facts);
        }

        entries.Sort((a, b) => a.First.CompareTo(b.First));
        return new RecorderResume(null, entries, lines, tail.Count, false);
    }

    /// <summary>The state's day may be compacted already (the exporter stopped, the watermark passed midnight): look there.</summary>
    private static long? FindInParquet(VaultLayout vault, InstrumentSpec spec, DateOnly day, long id, RawTailScanner.Facts facts, ILogger log)
    {
        var path = vault.RawDayParquet(spec.Exchange, spec.InstId, day);
        if (!File.Exists(path))
        {
            return null;
        }

        long? found = null;
        try
        {
            new ParquetRawDayReader().Read(path, row =>
            {
                if (row.TradeId == id)
                {
                    found = row.Ts;
                }

                if (facts.MaxId is not { } max || row.TradeId > max)
                {
                    facts.MaxId = row.TradeId;
                    facts.MaxIdTs = row.Ts;
                }
            }, _ => { });
        }
#pragma warning disable CA1031 // the native DuckDB library may be missing: then the state cannot be checked there, and stands
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log.Warning("{Exchange} {InstId}: cannot read {Path} to check the state against it ({Error})", spec.Exchange, spec.InstId, path, ex.Message);
            return null;
        }

        return found;
    }
}
