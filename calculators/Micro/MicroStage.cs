using System.Diagnostics;
using Pipeline.Calculators.BookDepth;
using Pipeline.Calculators.MicroPrice;
using Pipeline.Calculators.Ofi;
using Pipeline.Calculators.Raw;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Calculators.Vpin;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.State;
using Serilog;

namespace Pipeline.Calculators.Micro;

/// <summary>
/// The microstructure stage: reads the raw quotes, book and trades of an instrument merged by event time (book, then
/// quotes, then trades at the same millisecond; each file in its line order), feeds every event to the per-event
/// indicators (<see cref="OfiState"/>, <see cref="MicroPriceState"/>, <see cref="VpinState"/>,
/// <see cref="BookDepthState"/>) and writes one line per minute to derived/ofi, microprice, vpin and bookdepth. A
/// minute is written once bars_1m has written it (the trades' finality: the exporter's watermark, or a closed day), so
/// every output has the same minutes as the bars from the series' first quote or book line on. Runs only for an
/// instrument whose vault has quotes or book days. Cursor, outputs and crash safety as the other stages: outputs are
/// synced before the state that records their lengths; a day checkpoint per raw day for recalc.
/// </summary>
public sealed class MicroStage
{
    /// <summary>The state's name under state/.</summary>
    public const string StateName = "micro";

    private static readonly ILogger Log = Serilog.Log.ForContext<MicroStage>();

    private readonly VaultLayout _layout;
    private readonly CalcOptions _options;
    private readonly string _exchange;
    private readonly string _instId;
    private readonly StateFile<MicroState> _stateFile;
    private readonly OfiIndicator _ofi;
    private readonly MicroPriceIndicator _micro;
    private readonly VpinIndicator _vpin;
    private readonly BookDepthIndicator _book;

    public MicroStage(VaultLayout layout, CalcOptions options, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(options);
        _layout = layout;
        _options = options;
        _exchange = VaultNames.Exchange(exchange);
        _instId = VaultNames.InstId(instId);
        _stateFile = new StateFile<MicroState>(layout.CalcState(StateName, exchange, instId), syncDirectory: false);
        _ofi = new OfiIndicator(options.OfiWindowMinutes, options.RobustZMinutes);
        _micro = new MicroPriceIndicator(options.RobustZMinutes);
        _vpin = new VpinIndicator(options.VpinBucketVolume, options.VpinBuckets);
        _book = new BookDepthIndicator(options.DepthBps);
    }

    /// <summary>The outputs, in the order of <see cref="Run"/>'s results.</summary>
    public static IReadOnlyList<string> Calcs { get; } = [OfiIndicator.Calc, MicroPriceIndicator.Calc, VpinIndicator.Calc, BookDepthIndicator.Calc];

    /// <summary>The days with quotes or book lines, ascending.</summary>
    public IReadOnlyList<DateOnly> Days() =>
    [
        .. VaultLayout.ListDays(_layout.MicroInstrumentDir(MicroKind.Quotes, _exchange, _instId))
            .Union(VaultLayout.ListDays(_layout.MicroInstrumentDir(MicroKind.Book, _exchange, _instId))).Order(),
    ];

    public MicroState? ReadState() => _stateFile.Read();

    /// <summary>Recalc from the checkpoint at or before <paramref name="from"/> (or from the start).</summary>
    public IReadOnlyList<StageResult> Recalc(long? barsNextMinute, DateOnly from, DateOnly? to, CancellationToken token)
    {
        var start = Checkpoints.AtOrBefore(_layout, StateName, _exchange, _instId, from) is { } d
            ? Checkpoints.File<MicroState>(_layout, StateName, _exchange, _instId, d).Read()
            : null;
        if (to is null)
        {
            Checkpoints.RemoveAfter(_layout, StateName, _exchange, _instId, start?.Day ?? DateOnly.MinValue);
        }

        return Run(barsNextMinute, token, fromCheckpoint: true, start, to);
    }

    /// <summary>
    /// One pass: every event before <paramref name="barsNextMinute"/> (bars_1m's next minute: what is final) is read
    /// and every minute before it written. Null: nothing is final yet.
    /// </summary>
    public IReadOnlyList<StageResult> Run(long? barsNextMinute, CancellationToken token, bool fromCheckpoint = false,
        MicroState? start = null, DateOnly? stopAfter = null)
    {
        var clock = Stopwatch.StartNew();
        var live = stopAfter is null;
        var state = (fromCheckpoint ? start : _stateFile.Read()) ?? new MicroState { Exchange = _exchange, InstId = _instId };
        var minutesBefore = state.Minutes;
        var eventsBefore = state.Events;
        var ids = new TradeIdWindow();
        ids.Load(state.RecentTradeIds, state.MaxTradeId);
        var outputs = Calcs.ToDictionary(c => c, c => new OutputFiles(_layout, c, _exchange, _instId, state.Outputs.GetValueOrDefault(c), removeLater: live));
        try
        {
            if (fromCheckpoint && live)
            {
                Commit(state, outputs, ids, live);
            }

            var days = Days();
            if (days.Count == 0 || barsNextMinute is not { } bound)
            {
                return Results(state, outputs, minutesBefore, eventsBefore, clock);
            }

            state.Day ??= days[0];
            var changed = false;
            while (true)
            {
                token.ThrowIfCancellationRequested();
                var day = state.Day.Value;
                var dayEnd = MinuteTime.DayEnd(day);
                var limit = Math.Min(bound, dayEnd);
                if (limit > MinuteTime.DayStart(day))
                {
                    changed |= ReadDay(state, ids, outputs, day, limit, token);
                }

                if (limit < dayEnd)
                {
                    break;
                }

                var next = days.Where(d => d > day).Cast<DateOnly?>().FirstOrDefault();
                if (next is null || (stopAfter is { } stop && day >= stop))
                {
                    break;
                }

                state.Day = next;
                state.QuotesOffset = state.BookOffset = state.TradesOffset = 0;
                state.ParquetInputs.Clear();
                if (state.NextMinute is { } nm)
                {
                    state.NextMinute = Math.Max(nm, MinuteTime.DayStart(next.Value));
                }

                Commit(state, outputs, ids, live);
                Checkpoints.File<MicroState>(_layout, StateName, _exchange, _instId, next.Value).Write(state);
                changed = true;
            }

            if (changed || !live || fromCheckpoint)
            {
                Commit(state, outputs, ids, live);
            }

            return Results(state, outputs, minutesBefore, eventsBefore, clock);
        }
        finally
        {
            foreach (var output in outputs.Values)
            {
                output.Dispose();
            }
        }
    }

    private bool ReadDay(MicroState state, TradeIdWindow ids, Dictionary<string, OutputFiles> outputs, DateOnly day, long limit,
        CancellationToken token)
    {
        var before = (state.QuotesOffset, state.BookOffset, state.TradesOffset, state.NextMinute, state.ParquetInputs.Count);
        using var book = Source(MicroEventKind.Book, _layout.MicroDayJsonl(MicroKind.Book, _exchange, _instId, day), state.BookOffset, state, day);
        using var quotes = Source(MicroEventKind.Quote, _layout.MicroDayJsonl(MicroKind.Quotes, _exchange, _instId, day), state.QuotesOffset, state, day);
        using var trades = Source(MicroEventKind.Trade, _layout.RawDayJsonl(_exchange, _instId, day), state.TradesOffset, state, day);
        MicroSource[] sources = [book, quotes, trades];
        var n = 0;
        while (true)
        {
            MicroSource? next = null;
            foreach (var s in sources)
            {
                if (s.HasNext && s.Ts < limit && (next is null || s.Ts < next.Ts))
                {
                    next = s; // ties keep the first: book, quotes, trades
                }
            }

            if (next is null)
            {
                break;
            }

            if ((++n & 0xFFFF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            var minute = next.Ts - (((next.Ts % MinuteTime.Ms) + MinuteTime.Ms) % MinuteTime.Ms);
            state.NextMinute ??= minute;
            while (state.NextMinute + MinuteTime.Ms <= minute)
            {
                EmitMinute(state, outputs);
            }

            if (minute < state.NextMinute)
            {
                state.LateEvents++; // an event for a written minute: it counts in the current one
            }

            Apply(state, ids, next);
            next.Advance();
        }

        if (state.NextMinute is not null)
        {
            while (state.NextMinute + MinuteTime.Ms <= limit)
            {
                EmitMinute(state, outputs);
            }
        }

        state.BookOffset = book.Offset;
        state.QuotesOffset = quotes.Offset;
        state.TradesOffset = trades.Offset;
        return before != (state.QuotesOffset, state.BookOffset, state.TradesOffset, state.NextMinute, state.ParquetInputs.Count);
    }

    /// <summary>
    /// One input of the day in the form it is stored: its JSONL while there is one (byte cursor), else its Parquet
    /// compaction (row cursor; compaction keeps the lines and their order). A day is compacted only once closed, and
    /// the compaction guard keeps it JSONL until this stage has finished it, so the cursor meets a Parquet day at its
    /// start (a recalc, or a day compacted before the stage reached it: read whole, from row 0) or after its last
    /// minute (nothing left to read). A byte cursor part-way through a day that is now Parquet cannot be mapped to a row:
    /// that stops with the file named instead of reading events twice or losing them.
    /// </summary>
    private MicroSource Source(MicroEventKind kind, string jsonl, long offset, MicroState state, DateOnly day)
    {
        var name = kind switch { MicroEventKind.Book => "book", MicroEventKind.Quote => "quotes", _ => "trades" };
        var parquet = Path.ChangeExtension(jsonl, ".parquet");
        var rows = state.ParquetInputs.Contains(name);
        if (rows && !File.Exists(parquet))
        {
            throw new InvalidDataException(
                $"the microstructure indicators were reading {parquet} (row {offset}), which is gone; run `pipeline recalc --from {day:yyyy-MM-dd}`");
        }

        if (!rows && !File.Exists(jsonl) && File.Exists(parquet))
        {
            if (offset == 0)
            {
                rows = true;
                state.ParquetInputs.Add(name);
            }
            else if (state.NextMinute >= MinuteTime.DayEnd(day))
            {
                jsonl = parquet = ""; // finished before it was compacted: nothing left to read
            }
            else
            {
                throw new InvalidDataException(
                    $"{parquet} replaced a JSONL day that the microstructure indicators had read up to byte {offset}; the row there is unknown: run `pipeline recalc --from {day:yyyy-MM-dd}`");
            }
        }

        return new(kind, rows ? parquet : jsonl, offset, rows, _exchange, _instId, (file, at, why) =>
        {
            state.BadLines++;
            Log.Warning("Skipped a bad line at {File}@{Offset}: {Reason}", file, at, why);
        });
    }

    private void Apply(MicroState state, TradeIdWindow ids, MicroSource e)
    {
        state.Events++;
        switch (e.Kind)
        {
            case MicroEventKind.Quote:
                state.Ofi.Update(e.BidPx, e.BidSz, e.AskPx, e.AskSz);
                state.MicroPrice.OnQuote(e.BidPx, e.BidSz, e.AskPx, e.AskSz);
                break;
            case MicroEventKind.Book:
                state.Book.OnBook(e.Book!);
                break;
            default:
                if (!ids.Add(e.TradeId))
                {
                    state.DuplicateTrades++;
                    return;
                }

                state.MicroPrice.OnTrade(e.TradePx);
                _vpin.OnTrade(state.Vpin, e.TradePx, e.TradeQty);
                break;
        }
    }

    private void EmitMinute(MicroState state, Dictionary<string, OutputFiles> outputs)
    {
        var minute = state.NextMinute!.Value;
        var day = MinuteTime.Day(minute);
        var ofi = outputs[OfiIndicator.Calc].For(day);
        _ofi.EndMinute(state.Ofi, minute, ofi, _exchange, _instId);
        ofi.EndLine();
        var micro = outputs[MicroPriceIndicator.Calc].For(day);
        _micro.EndMinute(state.MicroPrice, minute, micro, _exchange, _instId);
        micro.EndLine();
        var vpin = outputs[VpinIndicator.Calc].For(day);
        _vpin.EndMinute(state.Vpin, minute, vpin, _exchange, _instId);
        vpin.EndLine();
        var book = outputs[BookDepthIndicator.Calc].For(day);
        _book.EndMinute(state.Book, minute, book, _exchange, _instId);
        book.EndLine();
        state.NextMinute = minute + MinuteTime.Ms;
        state.Minutes++;
    }

    private void Commit(MicroState state, Dictionary<string, OutputFiles> outputs, TradeIdWindow ids, bool live)
    {
        foreach (var (calc, output) in outputs)
        {
            output.Sync();
            if (output.Position is { } position)
            {
                state.Outputs[calc] = position;
            }
        }

        state.Book.Save();
        state.RecentTradeIds = ids.Save();
        state.MaxTradeId = ids.Max;
        state.UpdatedAt = _options.Time.GetUtcNow();
        if (live)
        {
            _stateFile.Write(state);
        }
    }

    private static List<StageResult> Results(MicroState state, Dictionary<string, OutputFiles> outputs, long minutesBefore, long eventsBefore,
        Stopwatch clock) =>
        [.. Calcs.Select(c => new StageResult(c, state.Minutes - minutesBefore, state.Events - eventsBefore, 0, outputs[c].Position, clock.Elapsed))];
}
