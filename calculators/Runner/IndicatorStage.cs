using System.Diagnostics;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;

namespace Pipeline.Calculators.Runner;

/// <summary>
/// Stage 2 (bars_1m → one indicator): runs one <see cref="IBarIndicator{TState}"/> over bars_1m with
/// its own cursor (bars day + offset), reading only bars that stage 1 (<see cref="RawToBarsStage"/>)
/// has committed, writing one line per bar, committing state after syncing.
/// </summary>
public sealed class IndicatorStage<TState>
    where TState : class
{
    private readonly VaultLayout _layout;
    private readonly IBarIndicator<TState> _indicator;
    private readonly CalcOptions _options;
    private readonly string _exchange;
    private readonly string _instId;
    private readonly StateFile<StageState<TState>> _stateFile;

    public IndicatorStage(VaultLayout layout, IBarIndicator<TState> indicator, CalcOptions options, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(indicator);
        _layout = layout;
        _indicator = indicator;
        _options = options;
        _exchange = VaultNames.Exchange(exchange);
        _instId = VaultNames.InstId(instId);
        // Losing a cursor rename only repeats work (outputs are cut back to the older state's lengths).
        _stateFile = new StateFile<StageState<TState>>(layout.CalcState(indicator.Name, exchange, instId), syncDirectory: false);
    }

    public string Name => _indicator.Name;

    /// <summary>The indicator's declaration: its outputs and their warm-up (for status).</summary>
    public IIndicator Indicator => _indicator;

    public StageState<TState>? ReadState() => _stateFile.Read();

    /// <summary>
    /// One pass over the committed bars (<paramref name="barsCommitted"/>: stage 1's recorded output).
    /// </summary>
    public StageResult Run(OutputPosition? barsCommitted, CancellationToken token, bool fromCheckpoint = false,
        StageState<TState>? start = null, DateOnly? stopAfter = null)
    {
        var clock = Stopwatch.StartNew();
        var live = stopAfter is null;
        var state = (fromCheckpoint ? start : _stateFile.Read()) ?? Fresh();
        state.Indicator ??= _indicator.NewState();
        var minutesBefore = state.Minutes;
        using var outputs = new OutputFiles(_layout, _indicator.Name, _exchange, _instId, state.Output, removeLater: live);
        if (fromCheckpoint && live)
        {
            Commit(state, outputs, live);
        }

        if (barsCommitted is null)
        {
            return new StageResult(_indicator.Name, 0, 0, 0, state.Output, clock.Elapsed);
        }

        var barDays = VaultLayout.ListDays(_layout.DerivedInstrumentDir(BarLine.Calc, _exchange, _instId))
            .Where(d => d <= barsCommitted.Day).ToList();
        if (state.Input is null)
        {
            if (barDays.Count == 0)
            {
                return new StageResult(_indicator.Name, 0, 0, 0, state.Output, clock.Elapsed);
            }

            state.Input = new RawCursor { Day = barDays[0] };
        }

        var dayBefore = state.Input.Day;
        var offsetBefore = state.Input.Offset;

        while (true)
        {
            token.ThrowIfCancellationRequested();
            var day = state.Input.Day;
            var limit = day == barsCommitted.Day ? barsCommitted.Length : long.MaxValue;
            var path = _layout.DerivedDay(BarLine.Calc, _exchange, _instId, day);
            // A bars day compacted after this stage wrote its last minute has nothing left to read (ReaderCursorGuard).
            var finished = state.LastMinute is { } written && written + MinuteTime.Ms >= MinuteTime.DayEnd(day);
            if (!finished && !File.Exists(path) && File.Exists(_layout.DerivedDayParquet(BarLine.Calc, _exchange, _instId, day)))
            {
                throw new InvalidDataException(
                    $"{_indicator.Name} needs the bars of {day:yyyy-MM-dd}, which are compacted to Parquet; rebuild from raw with `pipeline recalc --from {day:yyyy-MM-dd}`");
            }

            if (!finished && File.Exists(path))
            {
                using var reader = JsonlReader.Open(path, state.Input.Offset, bufferSize: 64 * 1024); // bars lines are short; no large buffer per pass
                while (reader.TryReadLine(out var line, out var lineOffset))
                {
                    var end = lineOffset + line.Length + 1;
                    if (end > limit)
                    {
                        break;
                    }

                    var bar = BarLine.Parse(line);
                    if (state.LastMinute is { } last && bar.Minute <= last)
                    {
                        throw new InvalidDataException(
                            $"{path}:{lineOffset}: bar {MinuteTime.Format(bar.Minute)} is not after {MinuteTime.Format(last)}");
                    }

                    var appender = outputs.For(MinuteTime.Day(bar.Minute));
                    _indicator.Apply(state.Indicator, bar, appender, _exchange, _instId);
                    appender.EndLine();
                    state.LastMinute = bar.Minute;
                    state.Minutes++;
                    state.Input.Offset = end;
                }
            }

            var next = barDays.Where(d => d > day).Cast<DateOnly?>().FirstOrDefault();
            if (next is null || (stopAfter is { } stop && day >= stop))
            {
                break;
            }

            state.Input = new RawCursor { Day = next.Value };
            Commit(state, outputs, live);
            Checkpoints.File<StageState<TState>>(_layout, _indicator.Name, _exchange, _instId, next.Value).Write(state);
        }

        if (state.Minutes != minutesBefore || !live || fromCheckpoint || state.Input.Offset != offsetBefore || state.Input.Day != dayBefore)
        {
            Commit(state, outputs, live);
        }

        return new StageResult(_indicator.Name, state.Minutes - minutesBefore, 0, 0, state.Output, clock.Elapsed);
    }

    private StageState<TState> Fresh() => new()
    {
        Calc = _indicator.Name, Exchange = _exchange, InstId = _instId, Indicator = _indicator.NewState(),
    };

    private void Commit(StageState<TState> state, OutputFiles outputs, bool live)
    {
        outputs.Sync();
        state.Output = outputs.Position ?? state.Output;
        state.UpdatedAt = _options.Time.GetUtcNow();
        if (live)
        {
            _stateFile.Write(state);
        }
    }
}
