using System.Buffers;
using Pipeline.Exporter.Micro;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Micro;
using Pipeline.Vault.Micro;

namespace Pipeline.Jobs.Bench;

/// <summary>
/// The simulator's microstructure for one instrument without sockets: its market engine stepped in event time, each
/// event rendered as the frame the recorder's connection receives (the simulator's own wire writers; Binance wrapped as
/// the combined stream it subscribes to) and fed to a <see cref="MicroRecorder"/>, with what a venue's REST adds
/// (Binance depth snapshot on request, open interest every poll interval). For the micro bench: ingest frames, memory
/// per instrument, vault growth.
/// </summary>
internal sealed class SimMicroFrames
{
    /// <summary>The simulator's default fill rate (fills per second per instrument): its busy market.</summary>
    public const double BusyRate = 200;

    /// <summary>The recorder's default Binance open-interest poll.</summary>
    private const long OpenInterestPollMs = 10_000;

    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly List<MicroEvent> _events = [];
    private long _at;

    public SimMicroFrames(string instId, long startMs, bool okxChecksum = false, string? renameTo = null, ulong seed = 9)
    {
        var instrument = SimInstruments.Find(instId);
        Engine = new MicroMarket(new MarketGenerator(instrument, seed, BusyRate), startMs, okxChecksum);
        Instrument = renameTo is null ? instrument : instrument with { InstId = renameTo };
        _at = startMs - 1;
    }

    public MicroMarket Engine { get; }

    /// <summary>The instrument as the frames name it.</summary>
    public SimInstrument Instrument { get; }

    /// <summary>The book events generated so far (when <see cref="KeepBookEvents"/>).</summary>
    public List<BookEvent> BookEvents { get; } = [];

    public bool KeepBookEvents { get; init; }

    private string StreamPrefix => Instrument.InstId.ToLowerInvariant();

    /// <summary>OKX's subscription snapshot of the book as published now (Binance starts from REST instead).</summary>
    public byte[] OkxSnapshotFrame()
    {
        var state = Engine.Published();
        _buffer.ResetWrittenCount();
        MicroWire.OkxBook(_buffer, Instrument, snapshot: true, state.Ts, state.Bids, state.Asks,
            Engine.ChecksumEnabled ? Engine.ChecksumOf(state) : 0, -1, state.Seq);
        return _buffer.WrittenSpan.ToArray();
    }

    /// <summary>The REST depth snapshot Binance's recorder asks for: the book now, its last update id.</summary>
    public BookRecord BinanceRestSnapshot() => MicroTruth.Snapshot(Instrument, Engine.Current(), "rest") with { InstId = Instrument.InstId };

    /// <summary>Advances the market to <paramref name="now"/> and hands each event to <paramref name="frame"/> (bytes, event time) or, for REST data, <paramref name="rest"/>.</summary>
    public void Advance(long now, Action<byte[], long> frame, Action<DerivativesRecord>? rest = null)
    {
        if (now <= _at)
        {
            return;
        }

        _events.Clear();
        Engine.AdvanceTo(now, _events);
        _at = now;
        foreach (var e in _events)
        {
            _buffer.ResetWrittenCount();
            if (!Render(e, rest))
            {
                continue;
            }

            frame(_buffer.WrittenSpan.ToArray(), e.Ts);
        }
    }

    private bool Render(MicroEvent e, Action<DerivativesRecord>? rest)
    {
        var i = Instrument;
        var okx = i.IsOkx;
        switch (e)
        {
            case QuoteEvent q when okx:
                MicroWire.OkxQuote(_buffer, i, q);
                return true;
            case QuoteEvent q:
                Combined("@bookTicker", () => MicroWire.BinanceBookTicker(_buffer, i, q));
                return true;
            case BookEvent b:
                if (KeepBookEvents)
                {
                    BookEvents.Add(b);
                }

                if (okx)
                {
                    MicroWire.OkxBook(_buffer, i, snapshot: false, b.Ts, b.Bids, b.Asks, b.Checksum, b.PrevSeq, b.Seq);
                }
                else
                {
                    Combined(BinanceDepthSuffix, () => MicroWire.BinanceDepth(_buffer, i, b));
                }

                return true;
            case LiquidationEvent l when okx:
                MicroWire.OkxLiquidation(_buffer, i, l);
                return true;
            case LiquidationEvent l:
                Combined("@forceOrder", () => MicroWire.BinanceForceOrder(_buffer, i, l));
                return true;
            case MarkEvent m when okx:
                MicroWire.OkxMark(_buffer, i, m);
                return true;
            case MarkEvent m:
                Combined("@markPrice@1s", () => MicroWire.BinanceMark(_buffer, i, m));
                return true;
            case FundingEvent f when okx:
                MicroWire.OkxFunding(_buffer, i, f);
                return true;
            case OpenInterestEvent oi when okx:
                MicroWire.OkxOi(_buffer, i, oi);
                return true;
            case OpenInterestEvent oi when oi.Ts % OpenInterestPollMs == 0:
                rest?.Invoke(MicroTruth.OpenInterest(i, oi) with { InstId = i.InstId });
                return false;
            default:
                return false;
        }
    }

    private const string BinanceDepthSuffix = "@depth@100ms";

    /// <summary>{"stream":"symbol@suffix","data":event}: the combined stream the Binance recorder subscribes to.</summary>
    private void Combined(string suffix, Action write)
    {
        _buffer.Write("{\"stream\":\""u8);
        _buffer.Write(System.Text.Encoding.ASCII.GetBytes(StreamPrefix + suffix));
        _buffer.Write("\",\"data\":"u8);
        write();
        _buffer.Write("}"u8);
    }

    /// <summary>
    /// Runs the market for <paramref name="ms"/> through <paramref name="recorder"/> (all kinds), in steps of a second:
    /// OKX starts with its subscription snapshot, Binance with the REST snapshot its first diff asks for.
    /// </summary>
    public void Record(MicroRecorder recorder, long fromMs, long ms, Action<long>? step = null)
    {
        var snapshotWanted = false;
        recorder.SnapshotNeeded = _ => snapshotWanted = true;
        if (Instrument.IsOkx)
        {
            recorder.Frame(OkxSnapshotFrame(), fromMs);
        }

        for (var t = fromMs + 1000; t <= fromMs + ms; t += 1000)
        {
            Advance(t, (frame, ts) => recorder.Frame(frame, ts + 5), d => recorder.Derivatives(d with { RecvTs = d.Ts + 5 }));
            if (snapshotWanted)
            {
                snapshotWanted = false;
                recorder.Book(BinanceRestSnapshot());
            }

            step?.Invoke(t);
        }
    }
}
