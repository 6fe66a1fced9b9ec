using System.Globalization;
using Pipeline.Exporter.Instruments;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;
using Serilog;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// Where an instrument's recording resumes, with the raw files as the truth. The state's last id S is checked
/// against the tail scanned from its day: its line there (its ts from the file) proves it. Without that line
/// the file contradicts S when it holds a line below S (the contiguous edge is always a written line, so S
/// is too high: every new trade would be dropped as a duplicate) or a line above S that is older than S's
/// time by more than a minute (ids grow with time, so S is too low: REST would be asked for billions of
/// ids). A contradicted state is ignored: the last two days' lines rebuild the window, a warning names both
/// values and the state is rewritten. An S with only later lines above it (a REST baseline, or a hole that
/// was open at a crash) stands.
/// </summary>
public sealed record RecorderResume(RecorderResume.Position? Trusted, List<RawTailScanner.IdEntry> Entries, int Lines, int Days, bool Corrected)
{
    private const long Margin = 10 * TradeTime.MsPerMinute;

    /// <summary>Ids grow with event time; a later id a minute older than S's trade is no reordering.</summary>
    private const long OlderThanPossible = TradeTime.MsPerMinute;

    public readonly record struct Position(long Id, long Ts);

    public static RecorderResume Find(VaultLayout vault, InstrumentSpec spec, ExporterState? state, long nowMs, ILogger log)
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
            // A last ts before 2010 or in the future is no trade's time: the state is garbage.
            var implausible = stateTs < EventTimeCheck.Floor || stateTs > nowMs + TradeTime.MsPerDay;
            if (days.Count > 0 && !implausible)
            {
                var from = TradeTime.Day(Math.Max(stateTs - Margin, TradeTime.DayStartMs(days[0])));
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

            var contradicted = implausible || facts.Below > 0 || entries.Exists(e => e.Ts < stateTs - OlderThanPossible);
            if (!contradicted)
            {
                // Nothing on disk contradicts it: a baseline taken before the first trade, or a hole open at a crash.
                entries.Sort((a, b) => a.First.CompareTo(b.First));
                return new RecorderResume(new Position(stateId, stateTs), entries, lines, scanned, false);
            }

            var tail = ScanTail(vault, spec, days, null);
            var last = tail.Entries.Count > 0 ? tail.Entries.MaxBy(e => e.Last) : default;
            log.Warning("{Exchange} {InstId}: state says the last contiguous trade is {StateId} at {StateTs}, but the raw files contradict it " +
                "(their last trade is {FileId} at {FileTs}); the files are the truth: resuming from them and correcting the state",
                spec.Exchange, spec.InstId, stateId, EventTimeCheck.Describe(stateTs), tail.Entries.Count > 0 ? last.Last : null,
                tail.Entries.Count > 0 ? EventTimeCheck.Describe(last.Ts) : "none");
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
        // Catch-all on purpose: the native DuckDB library may be missing: then the state cannot be checked there, and stands
        catch (Exception ex)
        {
            log.Warning("{Exchange} {InstId}: cannot read {Path} to check the state against it ({Error})", spec.Exchange, spec.InstId, path, ex.Message);
            return null;
        }

        return found;
    }
}
