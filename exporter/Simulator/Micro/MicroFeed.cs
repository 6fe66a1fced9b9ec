using System.Buffers;
using System.Collections.Concurrent;
using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Truth;
using Serilog;

namespace Pipeline.Simulator.Micro;

/// <summary>
/// Publishes the microstructure of every instrument (<see cref="MicroMarket"/>) to the subscribed connections in the venue's
/// wire format and to the truth, applies the book faults (triggered with <see cref="FaultTrigger.TriggerNowAsync(BookFault, string, CancellationToken)"/>
/// or drawn from the <see cref="FaultSpec"/> by a hash of seed, instrument and sequence, so the same seed gives the same faults),
/// and answers the REST snapshots (Binance depth and open interest). Driven by the <see cref="Live.LiveFeed"/>'s publishing step.
/// </summary>
public sealed class MicroFeed
{
    private static readonly ILogger Log = Serilog.Log.ForContext<MicroFeed>();
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);
    private readonly TruthWriter? _truth;
    private readonly FaultSpec _spec;
    private readonly ConcurrentQueue<BookFaultEvent> _applied = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly List<MicroEvent> _events = [];

    public MicroFeed(IReadOnlyDictionary<string, MarketGenerator> markets, long startMs, SimulatorOptions options, TruthWriter? truth)
    {
        ArgumentNullException.ThrowIfNull(markets);
        ArgumentNullException.ThrowIfNull(options);
        _truth = truth;
        _spec = options.Faults;
        foreach (var (instId, market) in markets)
        {
            var engine = new MicroMarket(market, startMs, options.OkxBookChecksum);
            _states[instId] = new State(engine, SimHash.Combine(options.Seed, SimHash.Key(instId), 0xFA17UL));
            truth?.WriteMicro(instId, MicroTruth.Snapshot(engine.Instrument, engine.Published()));
        }
    }

    /// <summary>The book faults applied so far, in order (the gaps a client must find).</summary>
    public IReadOnlyCollection<BookFaultEvent> FaultsApplied => _applied;

    /// <summary>The engine of one instrument (read it under <see cref="Read{T}"/> only).</summary>
    public IEnumerable<string> Instruments => _states.Keys;

    /// <summary>Reads an instrument's engine consistently with publishing (the book as published, open interest, ...).</summary>
    public T Read<T>(string instId, Func<MicroMarket, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        var state = _states[instId];
        lock (state.Gate)
        {
            return read(state.Engine);
        }
    }

    public bool Has(string instId) => _states.ContainsKey(instId);

    /// <summary>Subscribes a connection; an OKX <c>books</c> subscriber first gets the snapshot (prevSeqId -1) of the book as published.</summary>
    public void Subscribe(string instId, MicroChannel channel, IMicroListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var state = _states[instId];
        lock (state.Gate)
        {
            var current = state.Listeners[(int)channel];
            if (Array.IndexOf(current, listener) >= 0)
            {
                return;
            }

            var engine = state.Engine;
            if (channel == MicroChannel.Book && engine.Instrument.IsOkx)
            {
                var book = engine.Published();
                var buffer = new ArrayBufferWriter<byte>(4096); // not the publishing buffer: another instrument may be publishing
                MicroWire.OkxBook(buffer, engine.Instrument, snapshot: true, book.Ts, book.Bids, book.Asks,
                    engine.ChecksumEnabled ? engine.ChecksumOf(book) : 0, -1, book.Seq);
                listener.OfferMicro(new MicroFrame(instId, channel, buffer.WrittenSpan.ToArray()));
            }

            state.Listeners[(int)channel] = [.. current, listener];
        }
    }

    public void Unsubscribe(string instId, MicroChannel channel, IMicroListener listener)
    {
        var state = _states[instId];
        lock (state.Gate)
        {
            state.Listeners[(int)channel] = [.. state.Listeners[(int)channel].Where(l => !ReferenceEquals(l, listener))];
        }
    }

    public void UnsubscribeAll(IMicroListener listener)
    {
        foreach (var state in _states.Values)
        {
            lock (state.Gate)
            {
                for (var c = 0; c < state.Listeners.Length; c++)
                {
                    state.Listeners[c] = [.. state.Listeners[c].Where(l => !ReferenceEquals(l, listener))];
                }
            }
        }
    }

    /// <summary>Subscribed connections of one channel of one instrument.</summary>
    public int Subscribers(string instId, MicroChannel channel)
    {
        var state = _states[instId];
        lock (state.Gate)
        {
            return state.Listeners[(int)channel].Length;
        }
    }

    /// <summary>
    /// Arms a book fault for the next book message (or, for <see cref="BookFault.StaleSnapshot"/>, the next REST depth request)
    /// of <paramref name="instId"/>; completes with what was applied.
    /// </summary>
    /// <exception cref="ArgumentException">an unknown instrument, or a fault its venue does not have</exception>
    public Task<BookFaultEvent> Arm(BookFault fault, string instId)
    {
        if (!_states.TryGetValue(instId, out var state))
        {
            throw new ArgumentException($"'{instId}' is not a simulated instrument here", nameof(instId));
        }

        var instrument = state.Engine.Instrument;
        var fits = fault switch
        {
            BookFault.DropDiff => true,
            BookFault.CorruptChecksum => instrument.IsOkx && state.Engine.ChecksumEnabled,
            BookFault.SeqGap => instrument.IsOkx,
            BookFault.StaleSnapshot => instrument.IsBinance,
            _ => false,
        };
        if (!fits)
        {
            throw new ArgumentException($"{fault} does not apply to {instrument.Exchange} {instId}" +
                (fault == BookFault.CorruptChecksum ? " (OKX with checksums on)" : ""), nameof(fault));
        }

        var done = new TaskCompletionSource<BookFaultEvent>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (state.Gate)
        {
            state.Armed.Add((fault, done));
        }

        return done.Task;
    }

    /// <summary>A REST depth snapshot (the book now, its last update id), or a stale one when a fault says so.</summary>
    public BookState DepthSnapshot(string instId)
    {
        var state = _states[instId];
        lock (state.Gate)
        {
            var engine = state.Engine;
            var request = state.Requests++;
            var armed = Take(state, BookFault.StaleSnapshot);
            var stale = armed is not null || Draw(state, (ulong)request, BookFault.StaleSnapshot, _spec.StaleSnapshot);
            var current = engine.Current();
            if (stale && engine.Older(1000) is { } old)
            {
                Applied(armed, new BookFaultEvent(engine.Instrument.Exchange, instId, BookFault.StaleSnapshot, current.Ts, old.Seq, current.Seq));
                return old;
            }

            if (armed is not null)
            {
                state.Armed.Add((BookFault.StaleSnapshot, armed)); // nothing a second old yet: the next request takes it
            }

            return current;
        }
    }

    /// <summary>Open interest (size units) and the second it was measured.</summary>
    public (long Units, long Ts) OpenInterest(string instId) => Read(instId, e => e.OpenInterest);

    /// <summary>Simulates and publishes every instrument up to <paramref name="now"/> (inclusive). Single caller: the feed.</summary>
    public void PublishUpTo(long now)
    {
        foreach (var (instId, state) in _states)
        {
            lock (state.Gate)
            {
                _events.Clear();
                state.Engine.AdvanceTo(now, _events);
                foreach (var e in _events)
                {
                    try
                    {
                        Publish(instId, state, e);
                    }
                    // Catch-all on purpose: one broken subscriber must not stop the market
                    catch (Exception ex)
                    {
                        Log.Warning(ex, "Micro publish failed for {InstId}", instId);
                    }
                }
            }
        }
    }

    private void Publish(string instId, State state, MicroEvent e)
    {
        var i = state.Engine.Instrument;
        _buffer.ResetWrittenCount();
        switch (e)
        {
            case QuoteEvent q:
                _truth?.WriteMicro(instId, MicroTruth.Quote(i, q));
                if (i.IsOkx)
                {
                    MicroWire.OkxQuote(_buffer, i, q);
                }
                else
                {
                    MicroWire.BinanceBookTicker(_buffer, i, q);
                }

                Send(instId, state, MicroChannel.Quotes, state.QuoteLines++);
                break;
            case BookEvent b:
                _truth?.WriteMicro(instId, MicroTruth.Update(i, b));
                PublishBook(instId, state, b);
                break;
            case LiquidationEvent l:
                _truth?.WriteMicro(instId, MicroTruth.Liquidation(i, l));
                if (i.IsOkx)
                {
                    MicroWire.OkxLiquidation(_buffer, i, l);
                }
                else
                {
                    MicroWire.BinanceForceOrder(_buffer, i, l);
                }

                Send(instId, state, MicroChannel.Liquidations, state.LiquidationLines++);
                break;
            case MarkEvent m:
                _truth?.WriteMicro(instId, MicroTruth.Mark(i, m));
                if (i.IsOkx)
                {
                    MicroWire.OkxMark(_buffer, i, m);
                }
                else
                {
                    MicroWire.BinanceMark(_buffer, i, m);
                }

                Send(instId, state, MicroChannel.MarkPrice);
                if (i.IsOkx)
                {
                    // OKX sends the index on its own channel (index-tickers), Binance inside markPrice.
                    _truth?.WriteMicro(instId, MicroTruth.Index(i, m));
                    _buffer.ResetWrittenCount();
                    MicroWire.OkxIndex(_buffer, i, m);
                    Send(instId, state, MicroChannel.IndexTickers);
                }

                break;
            case FundingEvent f:
                _truth?.WriteMicro(instId, MicroTruth.Funding(i, f));
                MicroWire.OkxFunding(_buffer, i, f);
                Send(instId, state, MicroChannel.FundingRate);
                break;
            case OpenInterestEvent oi:
                _truth?.WriteMicro(instId, MicroTruth.OpenInterest(i, oi));
                if (i.IsOkx)
                {
                    MicroWire.OkxOi(_buffer, i, oi);
                    Send(instId, state, MicroChannel.OpenInterest);
                }

                break;
            default:
                break; // trades are the trade feed's
        }
    }

    private void PublishBook(string instId, State state, BookEvent b)
    {
        var i = state.Engine.Instrument;
        BookFault? fault = null;
        TaskCompletionSource<BookFaultEvent>? armed = null;
        foreach (var candidate in new[] { BookFault.DropDiff, BookFault.SeqGap, BookFault.CorruptChecksum })
        {
            armed = Take(state, candidate);
            if (armed is not null)
            {
                fault = candidate;
                break;
            }
        }

        if (fault is null)
        {
            if (Draw(state, (ulong)b.Seq, BookFault.DropDiff, _spec.BookDrop))
            {
                fault = BookFault.DropDiff;
            }
            else if (i.IsOkx && Draw(state, (ulong)b.Seq, BookFault.SeqGap, _spec.BookSeqGap))
            {
                fault = BookFault.SeqGap;
            }
            else if (i.IsOkx && state.Engine.ChecksumEnabled && Draw(state, (ulong)b.Seq, BookFault.CorruptChecksum, _spec.BookChecksum))
            {
                fault = BookFault.CorruptChecksum;
            }
        }

        if (fault is { } applied)
        {
            Applied(armed, new BookFaultEvent(i.Exchange, instId, applied, b.Ts, b.Seq, b.Seq));
        }

        if (fault == BookFault.DropDiff)
        {
            return; // generated, in the truth, never sent: the next message's prevSeqId/pu names it
        }

        if (i.IsOkx)
        {
            var checksum = fault == BookFault.CorruptChecksum ? Corrupt(b.Checksum) : b.Checksum;
            var prev = fault == BookFault.SeqGap ? b.PrevSeq + 1 : b.PrevSeq;
            MicroWire.OkxBook(_buffer, i, snapshot: false, b.Ts, b.Bids, b.Asks, checksum, prev, b.Seq);
        }
        else
        {
            MicroWire.BinanceDepth(_buffer, i, b);
        }

        Send(instId, state, MicroChannel.Book);
    }

    /// <summary>A wrong, non-zero checksum.</summary>
    private static int Corrupt(int checksum) => (checksum ^ 0x5A5A5A5A) is var bad and not 0 ? bad : 1;

    private void Send(string instId, State state, MicroChannel channel, long truthLine = -1)
    {
        var listeners = state.Listeners[(int)channel];
        if (listeners.Length == 0)
        {
            return;
        }

        var frame = new MicroFrame(instId, channel, _buffer.WrittenSpan.ToArray()) { TruthLine = truthLine };
        foreach (var listener in listeners)
        {
            listener.OfferMicro(frame);
        }
    }

    private void Applied(TaskCompletionSource<BookFaultEvent>? armed, BookFaultEvent fault)
    {
        _applied.Enqueue(fault);
        _truth?.WriteFault(fault);
        armed?.TrySetResult(fault);
        Log.Debug("Book fault {Fault} on {InstId} at seq {Seq}", fault.Fault, fault.InstId, fault.Seq);
    }

    private static TaskCompletionSource<BookFaultEvent>? Take(State state, BookFault fault)
    {
        var index = state.Armed.FindIndex(a => a.Fault == fault);
        if (index < 0)
        {
            return null;
        }

        var done = state.Armed[index].Done;
        state.Armed.RemoveAt(index);
        return done;
    }

    private static bool Draw(State state, ulong n, BookFault fault, double p) =>
        p > 0 && SimHash.Unit(SimHash.Combine(state.FaultKey, n, (ulong)fault + 1)) < p;

    private sealed class State(MicroMarket engine, ulong faultKey)
    {
        public MicroMarket Engine { get; } = engine;

        public ulong FaultKey { get; } = faultKey;

        public object Gate { get; } = new();

        public IMicroListener[][] Listeners { get; } = [.. Enumerable.Range(0, Enum.GetValues<MicroChannel>().Length).Select(_ => Array.Empty<IMicroListener>())];

        public List<(BookFault Fault, TaskCompletionSource<BookFaultEvent> Done)> Armed { get; } = [];

        public long Requests { get; set; }

        /// <summary>Quotes and liquidations published so far: the next one's line in its truth file.</summary>
        public long QuoteLines { get; set; }

        public long LiquidationLines { get; set; }
    }
}
