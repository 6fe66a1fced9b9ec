using Pipeline.Simulator.Live;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Micro;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Simulator.Truth;

/// <summary>
/// Ground truth: every trade the simulator published, as raw-trade JSONL (one line per OKX fill, one
/// per Binance aggTrade; recvTs = ts, src "ws") in the vault's <see cref="TruthLayout"/>: the files hold exactly
/// the trades with startTs &lt;= ts &lt;= endTs of truth.json (lines after endTs may already be there; ignore them).
/// Flushed every second and on completion. With the microstructure on, also each instrument's quotes, book (a snapshot
/// at the start, then every published update), liquidations and derivatives in <see cref="TruthLayout.MicroPath"/>, and
/// the book faults applied in <see cref="TruthLayout.BookFaultsPath"/>.
/// </summary>
public sealed class TruthWriter : IDisposable
{
    private readonly string _dir;
    private readonly TimeProvider _time;
    private readonly long _startTs;
    private readonly SimulatorOptions _options;
    private readonly Dictionary<string, JsonlAppender> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<(MicroKind, string), JsonlAppender> _micro = [];
    private JsonlAppender? _faults;
    private long _lastFlush;
    private bool _completed;

    public TruthWriter(string dir, IEnumerable<SimInstrument> instruments, long startTs, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        ArgumentNullException.ThrowIfNull(options);
        _dir = dir;
        _time = options.Time;
        _startTs = startTs;
        _options = options;
        Directory.CreateDirectory(dir);
        foreach (var instrument in instruments)
        {
            var path = TruthLayout.TradesPath(dir, instrument.Exchange, instrument.InstId);
            if (File.Exists(path))
            {
                File.Delete(path); // a fresh run is a fresh truth
            }

            _files[instrument.InstId] = JsonlAppender.Open(path, time: _time);
            if (options.Micro)
            {
                foreach (var kind in MicroKinds.All)
                {
                    var micro = TruthLayout.MicroPath(dir, kind, instrument.Exchange, instrument.InstId);
                    Directory.CreateDirectory(Path.GetDirectoryName(micro)!);
                    File.Delete(micro);
                    _micro[(kind, instrument.InstId)] = JsonlAppender.Open(micro, time: _time);
                }
            }
        }

        if (options.Micro)
        {
            File.Delete(TruthLayout.BookFaultsPath(dir));
            _faults = JsonlAppender.Open(TruthLayout.BookFaultsPath(dir), time: _time);
        }

        _lastFlush = _time.GetTimestamp();
        WriteRange(startTs - 1);
    }

    public void Write(LiveBatch batch)
    {
        var instrument = batch.Block.Instrument;
        var file = _files[instrument.InstId];
        var prints = batch.Block.Prints.Span;
        var fills = batch.Block.Fills.Span;
        for (var i = batch.PrintStart; i < batch.PrintEnd; i++)
        {
            var print = prints[i];
            if (instrument.IsBinance)
            {
                RawTradeWriter.Write(file, ToRawTrade(instrument, print));
                file.EndLine();
            }
            else
            {
                for (var k = print.FillStart; k < print.FillStart + print.FillCount; k++)
                {
                    RawTradeWriter.Write(file, ToRawTrade(instrument, fills[k]));
                    file.EndLine();
                }
            }
        }
    }

    /// <summary>Appends one microstructure truth line (a <see cref="QuoteRecord"/>, <see cref="BookRecord"/>, <see cref="LiquidationRecord"/> or <see cref="DerivativesRecord"/>).</summary>
    public void WriteMicro(string instId, object record)
    {
        switch (record)
        {
            case QuoteRecord quote:
                MicroLineWriter.Write(MicroFile(MicroKind.Quotes, instId), quote);
                MicroFile(MicroKind.Quotes, instId).EndLine();
                break;
            case BookRecord book:
                MicroLineWriter.Write(MicroFile(MicroKind.Book, instId), book);
                MicroFile(MicroKind.Book, instId).EndLine();
                break;
            case LiquidationRecord liquidation:
                MicroLineWriter.Write(MicroFile(MicroKind.Liquidations, instId), liquidation);
                MicroFile(MicroKind.Liquidations, instId).EndLine();
                break;
            case DerivativesRecord derivatives:
                MicroLineWriter.Write(MicroFile(MicroKind.Derivatives, instId), derivatives);
                MicroFile(MicroKind.Derivatives, instId).EndLine();
                break;
            default:
                throw new ArgumentException($"not a micro record: {record?.GetType().Name}", nameof(record));
        }
    }

    /// <summary>Appends one applied book fault to the fault file.</summary>
    public void WriteFault(BookFaultEvent fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        if (_faults is null)
        {
            return;
        }

        _faults.AppendLine(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new
        {
            exchange = fault.Exchange, instId = fault.InstId, fault = fault.Fault.ToString(), ts = fault.Ts, seq = fault.Seq, streamSeq = fault.StreamSeq,
        }));
    }

    private JsonlAppender MicroFile(MicroKind kind, string instId) => _micro[(kind, instId)];

    /// <summary>The raw-trade form of an OKX fill (trades-all).</summary>
    public static RawTrade ToRawTrade(SimInstrument instrument, SimFill fill)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var px = instrument.FormatPrice(fill.PriceUnits);
        var sz = instrument.FormatSize(fill.SizeUnits);
        return new RawTrade
        {
            Exchange = instrument.Exchange,
            InstId = instrument.InstId,
            TradeId = fill.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Ts = fill.Ts,
            Px = px,
            Sz = sz,
            Side = fill.Buy ? "buy" : "sell",
            CtVal = instrument.CtVal,
            CtMult = instrument.CtMult,
            CtType = instrument.CtType,
            CtValCcy = instrument.CtValCcy,
            // Computed apart from the product's ContractMath, so the truth comparison checks the exporter's quantities.
            QtyBase = TruthQuantity.QtyBase(sz, px, instrument.CtVal, instrument.CtMult,
                inverse: string.Equals(instrument.CtType, "inverse", StringComparison.Ordinal)),
            RecvTs = fill.Ts,
            Src = "ws",
        };
    }

    /// <summary>The raw-trade form of a Binance aggTrade.</summary>
    public static RawTrade ToRawTrade(SimInstrument instrument, SimPrint print)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        var q = instrument.FormatSize(print.SizeUnits);
        return new RawTrade
        {
            Exchange = instrument.Exchange,
            InstId = instrument.InstId,
            TradeId = print.Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Ts = print.Ts,
            Px = instrument.FormatPrice(print.PriceUnits),
            Sz = q,
            Side = print.Buy ? "buy" : "sell",
            CtVal = "1",
            CtMult = "1",
            CtType = "linear",
            CtValCcy = instrument.BaseCcy,
            // q×1×1 by the same rule as every qtyBase: the number as sent, the text canonical ("0.010" → "0.01"); sz keeps q's text.
            QtyBase = TruthQuantity.QtyBase(q, "1", "1", "1", inverse: false),
            RecvTs = print.Ts,
            Src = "ws",
            FirstId = print.FirstId,
            LastId = print.LastId,
        };
    }

    /// <summary>Flushes the files and moves endTs to <paramref name="publishedThrough"/> once a second.</summary>
    public void FlushIfDue(long publishedThrough)
    {
        if (_time.GetElapsedTime(_lastFlush) < TimeSpan.FromSeconds(1))
        {
            return;
        }

        Flush(publishedThrough);
    }

    /// <summary>Final flush (fsync) and range; later calls do nothing.</summary>
    public void Complete(long publishedThrough)
    {
        if (_completed)
        {
            return;
        }

        _completed = true;
        foreach (var file in AllFiles())
        {
            file.Sync();
        }

        WriteRange(publishedThrough);
    }

    public void Dispose()
    {
        foreach (var file in AllFiles())
        {
            file.Dispose();
        }

        _files.Clear();
        _micro.Clear();
        _faults = null;
    }

    private IEnumerable<JsonlAppender> AllFiles() => _files.Values.Concat(_micro.Values).Concat(_faults is null ? [] : [_faults]);

    private void Flush(long publishedThrough)
    {
        foreach (var file in AllFiles())
        {
            file.Flush();
        }

        WriteRange(publishedThrough);
        _lastFlush = _time.GetTimestamp();
    }

    private void WriteRange(long endTs)
    {
        var range = new TruthRange
        {
            StartTs = _startTs,
            EndTs = endTs,
            Seed = _options.Seed,
            Rate = _options.Rate,
            Instruments = [.. _files.Keys],
            UpdatedAt = _time.GetUtcNow(),
        };
        TruthLayout.WriteRange(_dir, range);
    }
}
