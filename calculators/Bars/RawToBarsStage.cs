using System.Runtime.CompilerServices;
using System.Diagnostics;
using Pipeline.Calculators.Raw;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Vault.DuckDb;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Calculators.Bars;

/// <summary>
/// Stage 1 (raw trades → bars_1m): the only calculator that reads raw trades; the indicators read its
/// bars (stage 2, <see cref="Runner.IndicatorStage{TState}"/>). Reads each raw day from its cursor,
/// aggregates per minute, and emits the minutes that are final (<see cref="Finality"/>: exporter
/// watermark past M+1m+lateness, or a day closed by its Parquet twin or a closed-day marker; never
/// past now), quiet minutes included. Lines of another instrument and repeated trade ids are
/// skipped and counted. The state write is the commit point: outputs are synced first, and
/// truncated back to the recorded length on the next start.
/// </summary>
public sealed class RawToBarsStage
{
    private const int MinutesPerDay = 1440;
    private readonly VaultLayout _layout;
    private readonly CalcOptions _options;
    private readonly string _exchange;
    private readonly string _instId;
    private readonly StateFile<BarsState> _stateFile;
    private readonly ILogger _log;
    private readonly byte[] _exchangeUtf8;
    private readonly byte[] _instIdUtf8;
    private readonly TradeIdWindow _ids = new();
    private readonly MinuteAggregate?[] _pending = new MinuteAggregate?[MinutesPerDay];
    private readonly decimal[] _tailMax = new decimal[4];
    private readonly decimal[] _tailMin = new decimal[4];
    private ulong _tailMask;
    private long _tailMinute = long.MinValue;
    private long _dayStart;
    private BarsState _state = new();

    public RawToBarsStage(VaultLayout layout, CalcOptions options, string exchange, string instId)
    {
        _layout = layout;
        _options = options;
        _exchange = VaultNames.Exchange(exchange);
        _instId = VaultNames.InstId(instId);
        _exchangeUtf8 = System.Text.Encoding.ASCII.GetBytes(_exchange);
        _instIdUtf8 = System.Text.Encoding.ASCII.GetBytes(_instId);
        // Losing a cursor rename only repeats work (outputs are cut back to the older state's lengths).
        _stateFile = new StateFile<BarsState>(layout.CalcState(BarLine.Calc, exchange, instId), syncDirectory: false);
        _log = Log.ForContext("Calc", BarLine.Calc).ForContext("InstId", instId);
    }

    public BarsState? ReadState() => _stateFile.Read();

    /// <summary>The state as of the end of the last <see cref="Run"/> (committed when that run was live).</summary>
    public BarsState State => _state;

    /// <summary>
    /// One pass. <paramref name="start"/> replaces the live state (recalc from a checkpoint); with
    /// <paramref name="stopAfter"/> the pass ends after that day and the live state is left alone.
    /// </summary>
    public StageResult Run(CancellationToken token, BarsState? start = null, bool fromCheckpoint = false, DateOnly? stopAfter = null)
    {
        var clock = Stopwatch.StartNew();
        var live = stopAfter is null;
        _state = fromCheckpoint ? start ?? Fresh() : _stateFile.Read() ?? Fresh();
        var minutesBefore = _state.Minutes;
        var tradesBefore = _state.Trades;
        var lateBefore = _state.LateTrades;
        LoadRuntime();
        using var outputs = new OutputFiles(_layout, BarLine.Calc, _exchange, _instId, _state.Output, removeLater: live);
        if (fromCheckpoint && live)
        {
            Commit(outputs); // the reset is durable before any new output
        }

        var exporter = new StateFile<ExporterState>(_layout.ExporterState(_exchange, _instId)).Read();
        var now = _options.Time.GetUtcNow().ToUnixTimeMilliseconds();
        var rawDays = _layout.RawDays(_exchange, _instId);
        CheckLastClosed();
        if (_state.Input is null)
        {
            if (rawDays.Count == 0)
            {
                return Result(clock, minutesBefore, tradesBefore, lateBefore);
            }

            _state.Input = new RawCursor { Day = rawDays[0] };
            SetDay(rawDays[0]);
        }

        while (true)
        {
            token.ThrowIfCancellationRequested();
            var day = _state.Input.Day;
            ReadDay(day, token);
            var bound = Finality.Bound(day, IsClosed(day), exporter?.WatermarkTs, _options.AllowedLateness, now, out var dayFinal);
            Emit(bound, outputs);
            var next = rawDays.Where(d => d > day).Cast<DateOnly?>().FirstOrDefault();
            if (!dayFinal || next is null || (stopAfter is { } stop && day >= stop))
            {
                break;
            }

            // Day transition: the closed day is fully emitted; the next raw day starts clean.
            _state.LastClosed = new RawCursor { Day = day, Format = _state.Input.Format, Offset = _state.Input.Offset };
            _state.Input = new RawCursor { Day = next.Value };
            if (_state.NextMinute is { } nm)
            {
                _state.NextMinute = Math.Max(nm, MinuteTime.DayStart(next.Value));
            }

            SetDay(next.Value);
            Commit(outputs, live);
            Checkpoints.File<BarsState>(_layout, BarLine.Calc, _exchange, _instId, next.Value).Write(_state);
        }

        Commit(outputs, live);
        return Result(clock, minutesBefore, tradesBefore, lateBefore);
    }

    private StageResult Result(Stopwatch clock, long minutesBefore, long tradesBefore, long lateBefore) =>
        new(BarLine.Calc, _state.Minutes - minutesBefore, _state.Trades - tradesBefore, _state.LateTrades - lateBefore,
            _state.Output, clock.Elapsed);

    private BarsState Fresh() => new() { Exchange = _exchange, InstId = _instId };

    /// <summary>
    /// Closed by proof, not by inference: its Parquet twin (compaction only runs on closed days) or the
    /// closed-day marker backfill writes. A later day file proves nothing (a bad clock can create one).
    /// </summary>
    private bool IsClosed(DateOnly day) =>
        File.Exists(_layout.RawDayParquet(_exchange, _instId, day)) || ClosedDays.IsMarked(_layout, _exchange, _instId, day);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: optimised at once, not after tiering
    private void ReadDay(DateOnly day, CancellationToken token)
    {
        var cursor = _state.Input!;
        var jsonl = _layout.RawDayJsonl(_exchange, _instId, day);
        var parquet = _layout.RawDayParquet(_exchange, _instId, day);
        if (cursor.Format == "parquet" || (!File.Exists(jsonl) && File.Exists(parquet)))
        {
            if (cursor.Format != "parquet")
            {
                // Compacted after we started it: the Parquet day holds the same rows in the same order. A day whose
                // every minute was emitted was compacted only once read to its end (ReaderCursorGuard): all its rows are read.
                cursor.Offset = cursor.Offset == 0 ? 0
                    : _state.NextMinute >= MinuteTime.DayEnd(day) && !File.Exists(jsonl) ? ParquetRows(parquet)
                    : RowsBefore(jsonl, parquet, cursor.Offset);
                cursor.Format = "parquet";
            }

            ReadParquet(parquet, cursor, token);
            return;
        }

        if (!File.Exists(jsonl))
        {
            return;
        }

        using var reader = JsonlReader.Open(jsonl, cursor.Offset);
        var n = 0;
        while (reader.TryReadLine(out var line, out var lineOffset))
        {
            if ((++n & 0xFFFF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            var error = RawLineScanner.Scan(line, _exchangeUtf8, _instIdUtf8, out var f);
            if (error != RawLineError.None)
            {
                Reject(jsonl, lineOffset, error);
                continue;
            }

            Ingest(f.Ts, f.Px, f.QtyBase, f.IsBuy, f.TradeId, f.TradeIdNumber, jsonl, lineOffset);
        }

        cursor.Offset = reader.Offset;
    }

    /// <summary>Reads a compacted day through DuckDB in file row order, from row <c>cursor.Offset</c>.</summary>
    private void ReadParquet(string path, RawCursor cursor, CancellationToken token)
    {
        using var db = DuckDbConnection.OpenInMemory();
        using var rows = db.Scan(
            "SELECT file_row_number, ts, px, qtyBase, side, tradeId, exchange, instId FROM read_parquet(?, file_row_number = true) " +
            "WHERE file_row_number >= ? ORDER BY file_row_number", path, cursor.Offset);
        var n = 0;
        while (rows.Read())
        {
            if ((++n & 0xFFFF) == 0)
            {
                token.ThrowIfCancellationRequested();
            }

            var row = rows.GetInt64(0);
            cursor.Offset = row + 1;
            if (rows.IsNull(1) || rows.IsNull(2) || rows.IsNull(3) || rows.IsNull(4) || rows.IsNull(5) || rows.IsNull(6) || rows.IsNull(7)
                || !RawTradeRules.TryAmount(rows.GetUtf8(2), out var px)
                || !RawTradeRules.TryAmount(rows.GetUtf8(3), out var qty)
                || !RawTradeRules.TryTradeId(rows.GetUtf8(5), out var id))
            {
                Bad(path, row, "a null or invalid field (px, qtyBase or tradeId)");
                continue;
            }

            if (!rows.GetUtf8(6).SequenceEqual(_exchangeUtf8) || !rows.GetUtf8(7).SequenceEqual(_instIdUtf8))
            {
                Reject(path, row, RawLineError.ForeignInstId);
                continue;
            }

            var side = rows.GetUtf8(4);
            if (!side.SequenceEqual("buy"u8) && !side.SequenceEqual("sell"u8))
            {
                Bad(path, row, "side is neither buy nor sell");
                continue;
            }

            Ingest(rows.GetInt64(1), px, qty, side[0] == 'b', rows.GetUtf8(5), id, path, row);
        }
    }

    private static long ParquetRows(string path)
    {
        using var db = DuckDbConnection.OpenInMemory();
        using var rows = db.Scan("SELECT count(*) FROM read_parquet(?)", path);
        return rows.Read() ? rows.GetInt64(0) : 0;
    }

    /// <summary>Rows of the JSONL day before byte <paramref name="offset"/> (the cursor moving to the Parquet twin).</summary>
    private static long RowsBefore(string jsonl, string parquet, long offset)
    {
        if (!File.Exists(jsonl))
        {
            throw new InvalidDataException(
                $"{parquet} replaced a JSONL day that was read up to byte {offset}; the row there is unknown: run recalc for this day");
        }

        using var reader = JsonlReader.Open(jsonl);
        long rows = 0;
        while (reader.Offset < offset && reader.TryReadLine(out _, out _))
        {
            rows++;
        }

        return rows;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: optimised at once, not after tiering
    private void Ingest(long ts, decimal px, decimal qty, bool buy, ReadOnlySpan<byte> tradeId, long id, string path, long position)
    {
        var index = ts - _dayStart;
        if (index < 0 || index >= TradeTime.MsPerDay)
        {
            Bad(path, position, "ts is outside the file's day");
            return;
        }

        if (!_ids.Add(id))
        {
            _state.DuplicateTrades++; // the same trade twice in the raw files counts once
            return;
        }

        var minute = _dayStart + (index / MinuteTime.Ms * MinuteTime.Ms);
        if (_state.NextMinute is { } next && minute < next)
        {
            Late(ts);
            return;
        }

        var slot = (int)(index / MinuteTime.Ms);
        var agg = _pending[slot] ??= new MinuteAggregate(minute);
        agg.Add(ts, px, qty, buy, id > 0 ? new TradeIdKey((ulong)id, null) : TradeIdKey.From(tradeId)); // the rules parsed the id already
        _state.Trades++;
    }

    private void Late(long ts)
    {
        _state.LateTrades++;
        _state.LastLateTs = ts;
    }

    private void Reject(string path, long offset, RawLineError error)
    {
        if (error is RawLineError.ForeignExchange or RawLineError.ForeignInstId)
        {
            _state.ForeignLines++;
            _log.Warning("Skipped a line of another instrument at {Path}@{Offset}: {Reason}", path, offset, RawTradeRules.Describe(error));
            return;
        }

        Bad(path, offset, RawTradeRules.Describe(error));
    }

    private void Bad(string path, long offset, string error)
    {
        _state.BadLines++;
        _log.Warning("Skipped a bad raw line at {Path}@{Offset}: {Reason}", path, offset, error);
    }

    /// <summary>Lines appended to the last closed day after it closed are late: count them.</summary>
    private void CheckLastClosed()
    {
        if (_state.LastClosed is not { Format: "jsonl" } closed)
        {
            return;
        }

        var path = _layout.RawDayJsonl(_exchange, _instId, closed.Day);
        if (!File.Exists(path) || new FileInfo(path).Length <= closed.Offset)
        {
            return;
        }

        using var reader = JsonlReader.Open(path, closed.Offset);
        while (reader.TryReadLine(out var line, out _))
        {
            if (RawLineScanner.Scan(line, _exchangeUtf8, _instIdUtf8, out var f) == RawLineError.None)
            {
                if (_ids.Add(f.TradeIdNumber))
                {
                    Late(f.Ts);
                }
                else
                {
                    _state.DuplicateTrades++;
                }
            }
        }

        closed.Offset = reader.Offset;
    }

    private void Emit(long boundExclusive, OutputFiles outputs)
    {
        var start = _state.NextMinute;
        if (start is null)
        {
            for (var i = 0; i < MinutesPerDay; i++)
            {
                if (_pending[i] is not null)
                {
                    start = _pending[i]!.Minute;
                    break;
                }
            }

            if (start is null)
            {
                return;
            }
        }

        for (var minute = start.Value; minute < boundExclusive; minute += MinuteTime.Ms)
        {
            var slot = (int)((minute - _dayStart) / MinuteTime.Ms);
            var agg = _pending[slot];
            _pending[slot] = null;
            var bar = agg is null ? Quiet(minute) : Bar(agg);
            var appender = outputs.For(MinuteTime.Day(minute));
            BarLine.Write(appender, _exchange, _instId, bar);
            appender.EndLine();
            _state.LastClose = bar.Close;
            _state.Minutes++;
            SetTail(minute, agg);
            _state.NextMinute = minute + MinuteTime.Ms;
        }
    }

    private BarRecord Quiet(long minute)
    {
        var close = _state.LastClose ?? throw new InvalidOperationException("a quiet minute before any trade");
        return new BarRecord
        {
            Minute = minute, Open = close, High = close, Low = close, Close = close, Trades = 0, VolBase = 0, VolQuote = 0,
            BuyVolBase = 0, SellVolBase = 0, SumPx2Qty = 0, MaxMove5sBps = 0,
        };
    }

    private BarRecord Bar(MinuteAggregate a) => new()
    {
        Minute = a.Minute, Open = a.Open, High = a.High, Low = a.Low, Close = a.Close, Trades = a.Trades,
        VolBase = a.VolBase, VolQuote = a.VolQuote, BuyVolBase = a.BuyVol, SellVolBase = a.SellVol, SumPx2Qty = a.SumPx2Qty,
        FirstTradeId = a.OpenId.ToString(), LastTradeId = a.CloseId.ToString(), MaxMove5sBps = MaxMove(a),
    };

    /// <summary>
    /// Largest (max px − min px) / min px × 10000 over the 5-second windows [s−4 s, s+1 s) that end at a
    /// second s of this minute holding a trade; the window may reach into the previous minute.
    /// </summary>
    private decimal MaxMove(MinuteAggregate a)
    {
        var best = 0m;
        var tailUsable = _tailMinute == a.Minute - MinuteTime.Ms;
        for (var s = 0; s < 60; s++)
        {
            if ((a.SecMask & (1UL << s)) == 0)
            {
                continue;
            }

            var max = a.SecMax[s];
            var min = a.SecMin[s];
            for (var k = 1; k <= 4; k++)
            {
                var t = s - k;
                if (t >= 0)
                {
                    if ((a.SecMask & (1UL << t)) != 0)
                    {
                        max = Math.Max(max, a.SecMax[t]);
                        min = Math.Min(min, a.SecMin[t]);
                    }
                }
                else if (tailUsable && (_tailMask & (1UL << (t + 4))) != 0)
                {
                    max = Math.Max(max, _tailMax[t + 4]);
                    min = Math.Min(min, _tailMin[t + 4]);
                }
            }

            if (max != min)
            {
                var move = (max - min) * 10000m / min;
                if (move > best)
                {
                    best = move;
                }
            }
        }

        return best;
    }

    private void SetTail(long minute, MinuteAggregate? a)
    {
        _tailMinute = minute;
        _tailMask = 0;
        if (a is null)
        {
            return;
        }

        for (var i = 0; i < 4; i++)
        {
            var s = 56 + i;
            if ((a.SecMask & (1UL << s)) != 0)
            {
                _tailMask |= 1UL << i;
                _tailMax[i] = a.SecMax[s];
                _tailMin[i] = a.SecMin[s];
            }
        }
    }

    private void SetDay(DateOnly day)
    {
        _dayStart = MinuteTime.DayStart(day);
        Array.Clear(_pending);
    }

    private void LoadRuntime()
    {
        Array.Clear(_pending);
        if (_state.Input is { } input)
        {
            _dayStart = MinuteTime.DayStart(input.Day);
        }

        _ids.Load(_state.RecentTradeIds, _state.MaxTradeId);
        foreach (var p in _state.Pending)
        {
            _pending[(int)((p.Minute - _dayStart) / MinuteTime.Ms)] = MinuteAggregate.Load(p);
        }

        _tailMinute = long.MinValue;
        _tailMask = 0;
        if (_state.Tail is { } tail)
        {
            _tailMinute = tail.Minute;
            foreach (var s in tail.Seconds)
            {
                _tailMask |= 1UL << (s.Second - 56);
                _tailMax[s.Second - 56] = s.Max;
                _tailMin[s.Second - 56] = s.Min;
            }
        }
    }

    private void SaveRuntime()
    {
        _state.Pending = [.. _pending.Where(p => p is not null).Select(p => p!.Save())];
        _state.RecentTradeIds = _ids.Save();
        _state.MaxTradeId = _ids.Max;
        if (_tailMinute == long.MinValue)
        {
            _state.Tail = null;
            return;
        }

        var tail = new SecondsTail { Minute = _tailMinute };
        for (var i = 0; i < 4; i++)
        {
            if ((_tailMask & (1UL << i)) != 0)
            {
                tail.Seconds.Add(new SecondRange(56 + i, _tailMax[i], _tailMin[i]));
            }
        }

        _state.Tail = tail;
    }

    private void Commit(OutputFiles outputs, bool live = true)
    {
        outputs.Sync();
        SaveRuntime();
        _state.Output = outputs.Position ?? _state.Output;
        _state.UpdatedAt = _options.Time.GetUtcNow();
        if (live)
        {
            _stateFile.Write(_state);
        }
    }
}
