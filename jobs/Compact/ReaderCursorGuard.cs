using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Micro;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Compact;

/// <summary>
/// Keeps a day in JSONL while a live reader still needs it there: bars_1m part-way through a raw day
/// (its cursor is a byte offset), a calculator that has not finished a derived day (it appends to it,
/// or reads bars from it), or a paper executor whose raw or minute cursor has not passed the day.
/// A reader has finished a (closed) day once it has emitted or decided the day's last minute: it never
/// reads or appends to that day again, so the last day of a closed history compacts without waiting for
/// a later day (the readers step over a compacted day they have finished).
/// </summary>
public sealed class ReaderCursorGuard(VaultLayout vault) : ICompactionGuard
{
    private readonly Dictionary<(string, string), List<(string Id, ExecutorState? State)>> _executors = [];

    public string? Hold(CompactionCandidate candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        var day = candidate.Day;
        if (candidate.Micro is { } kind)
        {
            // book, verify and the views read whole days in either form; the microstructure indicators read quotes and
            // book days as JSONL by byte offset, so those stay JSONL until the stage has finished the day.
            return kind is MicroKind.Quotes or MicroKind.Book ? MicroHold(candidate) : null;
        }

        if (candidate.IsRaw)
        {
            var bars = Read<CursorView>(vault.CalcState(BarLine.Calc, candidate.Exchange, candidate.InstId));
            if (bars.Error is not null)
            {
                return bars.Error;
            }

            if (bars.State?.Input is { Format: "jsonl", Offset: > 0 } input && input.Day == day
                && !(Finished(bars.State.NextMinute, day) && input.Offset == new FileInfo(candidate.JsonlPath).Length))
            {
                return $"bars_1m is part-way through this day (byte {input.Offset}); it compacts once the calculators have finished it";
            }

            if (MicroHold(candidate) is { } micro)
            {
                return micro;
            }

            foreach (var (id, state) in Executors(candidate.Exchange, candidate.InstId))
            {
                if (state?.Trades is not { } cursor || (cursor.Day <= day && cursor.ProcessedUntilTs < MinuteTime.DayEnd(day)))
                {
                    return $"executor {id} has not read the trades past this day";
                }
            }

            return null;
        }

        foreach (var calc in CalculatorRunner.Calcs)
        {
            var (state, error) = Read<CursorView>(vault.CalcState(calc, candidate.Exchange, candidate.InstId));
            if (error is not null)
            {
                return error;
            }

            // bars_1m's NextMinute, an indicator's LastMinute + 1m: the next minute it will write.
            var next = calc == BarLine.Calc ? state?.NextMinute : state?.LastMinute + MinuteTime.Ms;
            if (state?.Output is not { } output || (output.Day <= day && !Finished(next, day)))
            {
                return $"{calc} has not finished this day";
            }

            if (calc != BarLine.Calc && (state.Input is not { } input || (input.Day <= day && !Finished(next, day))))
            {
                return $"{calc} has not read the bars past this day";
            }
        }

        foreach (var (id, state) in Executors(candidate.Exchange, candidate.InstId))
        {
            if (state?.Engine.LastMinuteMs is not { } last || TradeTime.Day(last + TradeTime.MsPerMinute) <= day)
            {
                return $"executor {id} has not decided every minute of this day";
            }
        }

        return null;
    }

    /// <summary>
    /// A raw day of an instrument with quotes or book lines that day is read by the microstructure stage (its trades,
    /// quotes and book, as JSONL): it stays JSONL until that stage has written every minute of the day.
    /// </summary>
    private string? MicroHold(CompactionCandidate candidate)
    {
        var day = candidate.Day;
        var hasMicro = new[] { MicroKind.Quotes, MicroKind.Book }.Any(kind =>
        {
            var jsonl = vault.MicroDayJsonl(kind, candidate.Exchange, candidate.InstId, day);
            return File.Exists(jsonl) || File.Exists(Path.ChangeExtension(jsonl, ".parquet"));
        });
        if (!hasMicro)
        {
            return null;
        }

        var (micro, error) = Read<MicroState>(vault.CalcState(MicroStage.StateName, candidate.Exchange, candidate.InstId));
        if (error is not null)
        {
            return error;
        }

        return micro is null || (micro.Day is not { } at || at <= day) && !Finished(micro.NextMinute, day)
            ? "the microstructure indicators have not read this day"
            : null;
    }

    private List<(string Id, ExecutorState? State)> Executors(string exchange, string instId)
    {
        if (_executors.Count == 0)
        {
            var dir = Path.Combine(vault.StateDir, "executor");
            var all = Directory.Exists(dir)
                ? Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal)
                    .Select(f => (Id: Path.GetFileNameWithoutExtension(f), Read<ExecutorState>(f).State)).ToList()
                : [];
            foreach (var group in all.Where(e => e.State is not null).GroupBy(e => (e.State!.Exchange, e.State.InstId)))
            {
                _executors[group.Key] = [.. group];
            }

            _executors[("", "")] = []; // loaded
        }

        return _executors.GetValueOrDefault((exchange, instId)) ?? [];
    }

    private static (T? State, string? Error) Read<T>(string path)
        where T : class
    {
        try
        {
            return (new StateFile<T>(path).Read(), null);
        }
        catch (StateFileCorruptException ex)
        {
            return (null, $"{path} is unreadable ({ex.Message}); kept as JSONL");
        }
    }

    /// <summary>Whether a reader whose next minute is <paramref name="nextMinute"/> has written every minute of <paramref name="day"/>.</summary>
    private static bool Finished(long? nextMinute, DateOnly day) => nextMinute is { } next && next >= MinuteTime.DayEnd(day);

    /// <summary>The cursor part shared by every calculator state file.</summary>
    private sealed class CursorView
    {
        public RawCursor? Input { get; set; }
        public OutputPosition? Output { get; set; }

        /// <summary>bars_1m: the next minute to emit.</summary>
        public long? NextMinute { get; set; }

        /// <summary>Indicators: the last minute written.</summary>
        public long? LastMinute { get; set; }
    }
}
