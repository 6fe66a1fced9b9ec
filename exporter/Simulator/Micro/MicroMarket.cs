using Pipeline.Simulator.Market;

namespace Pipeline.Simulator.Micro;

/// <summary>
/// The order book, quotes, liquidations and derivatives context of one instrument, driven by the trade tape of its
/// <see cref="MarketGenerator"/>. Deterministic: the same seed, instrument and start give the same events.
/// <para>
/// The book is consistent with the tape: before each print the taker's side of the book is moved so the print happens
/// at the touch (a buy at P: asks below P and bids at or above P are gone, the ask at P holds at least the print's size),
/// then the print consumes its size there. Makers act every <see cref="MakerSlotMs"/> ms near the touch and the far
/// levels are refilled, so the book follows the price path and never crosses. The book is published as diffs every
/// <see cref="BookIntervalMs"/> ms (every level touched in the interval with its size now); each change of a level is one
/// update id.
/// </para>
/// Single-threaded: the caller (<see cref="MicroFeed"/>) serialises access.
/// </summary>
public sealed class MicroMarket
{
    public const long BookIntervalMs = 100;
    public const long MakerSlotMs = 50;
    public const long TickMs = 10;
    public const long FundingPeriodMs = 8 * 3_600_000L;
    public const double LiquidationChance = 0.004;
    private const int MinLevels = 40;
    private const int MaxLevels = 80;
    private const int RingSize = 48;
    private static readonly Comparer<long> Descending = Comparer<long>.Create((a, b) => b.CompareTo(a));

    private readonly MarketGenerator _market;
    private readonly ulong _key;
    private readonly long _tick;
    private readonly long _to8;
    private readonly bool _checksum;
    private readonly SortedDictionary<long, long> _bids = new(Descending);
    private readonly SortedDictionary<long, long> _asks = new();
    private readonly SortedDictionary<long, long> _shownBids = new(Descending);
    private readonly SortedDictionary<long, long> _shownAsks = new();
    private readonly HashSet<long> _dirtyBids = [];
    private readonly HashSet<long> _dirtyAsks = [];
    private readonly BookState?[] _ring = new BookState?[RingSize];
    private SimRandom _rng;
    private long _updateId;
    private long _shownSeq;
    private long _shownTs;
    private long _at;
    private (long, long, long, long) _lastQuote;
    private bool _quoteDirty;
    private long _lastPx;
    private long _lastLiquidation = long.MinValue / 2;
    private long _fundingRate8;
    private long _oi;
    private long _oiFlow;
    private long _oiTs;
    private long _oiPushed = -1;
    private int _ringNext;

    /// <param name="okxChecksum">OKX book messages carry the CRC32 checksum (false: 0, as OKX does from 23 June 2026).</param>
    public MicroMarket(MarketGenerator market, long startMs, bool okxChecksum = true)
    {
        ArgumentNullException.ThrowIfNull(market);
        _market = market;
        Instrument = market.Instrument;
        _checksum = okxChecksum && Instrument.IsOkx;
        _key = SimHash.Combine(market.Seed, SimHash.Key(Instrument.InstId), 0xB00CUL);
        _rng = new SimRandom(SimHash.Combine(_key, (ulong)startMs));
        _tick = Instrument.TickUnits;
        _to8 = Pow10(8 - Instrument.PriceScale);
        _at = startMs - 1;
        _lastPx = StartPrice(startMs);
        _updateId = 1_000_000 + (long)(SimHash.Combine(_key, 1) % 1_000_000);
        var p = _lastPx;
        for (var k = 0; k < MinLevels + 10; k++)
        {
            Set(_bids, _dirtyBids, p - _tick * (k + 1), LevelSize());
            Set(_asks, _dirtyAsks, p + _tick * (k + 1), LevelSize());
        }

        _dirtyBids.Clear();
        _dirtyAsks.Clear();
        Copy(_bids, _shownBids);
        Copy(_asks, _shownAsks);
        _shownSeq = _updateId;
        _shownTs = startMs;
        _lastQuote = Best();
        _fundingRate8 = FundingRate(startMs);
        _oi = Instrument.MedianSizeUnits * (50_000 + (long)(SimHash.Combine(_key, 2) % 50_000));
        _oiTs = startMs - startMs % 1000;
        Remember();
    }

    public SimInstrument Instrument { get; }

    /// <summary>Also report each print as a <see cref="TradeEvent"/> where the book saw it (tests; the feed leaves it off).</summary>
    public bool EmitTrades { get; init; }

    /// <summary>Event time through which the market has been simulated.</summary>
    public long ProcessedThroughMs => _at;

    /// <summary>Whether OKX book messages carry a real checksum.</summary>
    public bool ChecksumEnabled => _checksum;

    /// <summary>The book as last published (the truth a client can rebuild): seq = the last message's seq.</summary>
    public BookState Published() => new(_shownSeq, _shownTs, Levels(_shownBids), Levels(_shownAsks));

    /// <summary>The book now, between messages (a REST snapshot): seq = the last update id applied.</summary>
    public BookState Current() => new(_updateId, _at, Levels(_bids), Levels(_asks));

    /// <summary>A published book at least <paramref name="ageMs"/> older than the last one (a stale snapshot), or null.</summary>
    public BookState? Older(long ageMs)
    {
        BookState? best = null;
        foreach (var state in _ring)
        {
            if (state is not null && state.Ts <= _shownTs - ageMs && (best is null || state.Seq > best.Seq))
            {
                best = state;
            }
        }

        return best;
    }

    /// <summary>Open interest (size units) and the second it was measured.</summary>
    public (long Units, long Ts) OpenInterest => (_oi, _oiTs);

    /// <summary>The seq of the last quote published (Binance bookTicker u, OKX bbo-tbt seqId); null before the first.</summary>
    public long? LastQuoteSeq { get; private set; }

    /// <summary>Mark price in units of 10^-8 (mid of the touch).</summary>
    public long Mark8 => MarkOf();

    /// <summary>The OKX checksum of a book: its best 25 levels as OKX writes them.</summary>
    public int ChecksumOf(BookState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        return OkxBookChecksum.Compute(
            [.. state.Bids.Take(OkxBookChecksum.Depth).Select(l => (Instrument.FormatPrice(l.Px), Instrument.FormatSize(l.Sz)))],
            [.. state.Asks.Take(OkxBookChecksum.Depth).Select(l => (Instrument.FormatPrice(l.Px), Instrument.FormatSize(l.Sz)))]);
    }

    /// <summary>Simulates up to <paramref name="now"/> (inclusive), appending what happened in order.</summary>
    public void AdvanceTo(long now, List<MicroEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (now <= _at)
        {
            return;
        }

        var from = _at + 1;
        var prints = new List<SimPrint>();
        for (var b = MarketGenerator.BlockOf(from); b <= MarketGenerator.BlockOf(now); b++)
        {
            var block = _market.Block(b);
            var span = block.Prints.Span;
            for (var i = block.FirstPrintAtOrAfter(from); i < span.Length && span[i].Ts <= now; i++)
            {
                prints.Add(span[i]);
            }
        }

        var p = 0;
        var tick = from + ((TickMs - (from % TickMs)) % TickMs);
        while (true)
        {
            var printTs = p < prints.Count ? prints[p].Ts : long.MaxValue;
            if (printTs <= tick && printTs <= now)
            {
                Print(prints[p++], output);
                continue;
            }

            if (tick > now)
            {
                break;
            }

            Tick(tick, output);
            tick += TickMs;
        }

        _at = now;
    }

    private void Print(SimPrint print, List<MicroEvent> output)
    {
        var px = print.PriceUnits;
        var sz = print.SizeUnits;
        var ts = print.Ts;
        var (own, ownDirty, other, otherDirty) = print.Buy ? (_asks, _dirtyAsks, _bids, _dirtyBids) : (_bids, _dirtyBids, _asks, _dirtyAsks);

        // Whatever stands better than the print's price on the taker's side is gone first (cancelled or taken earlier).
        while (own.Count > 0 && Better(print.Buy, own.Keys.First(), px))
        {
            Set(own, ownDirty, own.Keys.First(), 0);
        }

        while (other.Count > 0 && (print.Buy ? other.Keys.First() >= px : other.Keys.First() <= px))
        {
            Set(other, otherDirty, other.Keys.First(), 0);
        }

        var have = own.GetValueOrDefault(px);
        if (have < sz)
        {
            Set(own, ownDirty, px, sz + (_rng.Chance(0.5) ? 0 : LevelSize()));
        }

        var step = print.Buy ? -_tick : _tick;
        if (other.Count == 0 || Math.Abs(other.Keys.First() - px) > 5 * _tick)
        {
            Set(other, otherDirty, px + step * (1 + _rng.Below(3)), LevelSize());
        }

        QuoteChanged(ts, output);
        if (EmitTrades)
        {
            output.Add(new TradeEvent(ts, print.Ordinal, px, sz, print.Buy));
        }

        Set(own, ownDirty, px, own[px] - sz);
        if (own.Count == 0)
        {
            Set(own, ownDirty, px - step, LevelSize());
        }

        QuoteChanged(ts, output);
        _lastPx = px;
        var h = SimHash.Combine(_key, 0x11DUL, (ulong)print.Ordinal);
        _oiFlow += (h & 1) == 0 ? sz : -sz;
        if (SimHash.Unit(h) < LiquidationChance && (Instrument.IsOkx || ts - _lastLiquidation >= 1000))
        {
            _lastLiquidation = ts;
            var offset = (long)((h >> 8) % 5) * _tick;
            output.Add(new LiquidationEvent(ts, print.Buy, print.Buy ? px + offset : px - offset, px, sz * (1 + (long)((h >> 16) % 3))));
        }
    }

    private void Tick(long t, List<MicroEvent> output)
    {
        if (t % MakerSlotMs == 0)
        {
            Makers(t, output);
        }

        if (_quoteDirty)
        {
            _quoteDirty = false;
            var (bid, bidSz, ask, askSz) = _lastQuote;
            output.Add(new QuoteEvent(t, _updateId, bid, bidSz, ask, askSz));
            LastQuoteSeq = _updateId;
        }

        if (t % BookIntervalMs == 0)
        {
            PublishBook(t, output);
        }

        if (t % 60_000 == 0)
        {
            _fundingRate8 = FundingRate(t);
        }

        if (t % 1000 == 0)
        {
            var floor = Instrument.MedianSizeUnits * 1000;
            _oi = Math.Max(floor, _oi + _oiFlow);
            _oiFlow = 0;
            _oiTs = t;
            var mark = MarkOf();
            var next = (t / FundingPeriodMs + 1) * FundingPeriodMs;
            output.Add(new MarkEvent(t, mark, mark + IndexOffset(t), _fundingRate8, next));
            if ((Instrument.IsBinance || t % 3000 == 0) && _oi != _oiPushed)
            {
                _oiPushed = _oi;
                output.Add(new OpenInterestEvent(t, _oi, mark));
            }

            if (Instrument.IsOkx && t % 30_000 == 0)
            {
                output.Add(new FundingEvent(t, _fundingRate8, next, next + FundingPeriodMs, mark));
            }
        }
    }

    private void Makers(long t, List<MicroEvent> output)
    {
        var actions = _rng.Below(4);
        for (var k = 0; k < actions; k++)
        {
            var bid = _rng.Chance(0.5);
            var (side, dirty) = bid ? (_bids, _dirtyBids) : (_asks, _dirtyAsks);
            if (side.Count == 0)
            {
                continue;
            }

            var best = side.Keys.First();
            var px = _rng.Chance(0.15) ? (bid ? best + _tick : best - _tick) : (bid ? best - _rng.Below(20) * _tick : best + _rng.Below(20) * _tick);
            if (px <= 0 || (bid ? _asks.Count > 0 && px >= _asks.Keys.First() : _bids.Count > 0 && px <= _bids.Keys.First()))
            {
                continue; // it would cross
            }

            Set(side, dirty, px, _rng.Chance(0.35) && side.Count > 5 ? 0 : LevelSize());
        }

        Refill(_bids, _dirtyBids, -_tick);
        Refill(_asks, _dirtyAsks, _tick);
        QuoteChanged(t, output);
    }

    /// <summary>Keeps between <see cref="MinLevels"/> and <see cref="MaxLevels"/> levels on a side: new ones beyond the far end.</summary>
    private void Refill(SortedDictionary<long, long> side, HashSet<long> dirty, long away)
    {
        while (side.Count < MinLevels)
        {
            var far = side.Count == 0 ? _lastPx : side.Keys.Last();
            var px = far + away * (1 + _rng.Below(2));
            if (px <= 0)
            {
                break;
            }

            Set(side, dirty, px, LevelSize());
        }

        while (side.Count > MaxLevels)
        {
            Set(side, dirty, side.Keys.Last(), 0);
        }
    }

    private void PublishBook(long t, List<MicroEvent> output)
    {
        if (_dirtyBids.Count == 0 && _dirtyAsks.Count == 0)
        {
            return;
        }

        var bids = Touched(_dirtyBids, _bids, _shownBids, descending: true);
        var asks = Touched(_dirtyAsks, _asks, _shownAsks, descending: false);
        var prev = _shownSeq;
        _shownSeq = _updateId;
        _shownTs = t;
        var state = Remember();
        output.Add(new BookEvent(t, prev + 1, _shownSeq, prev, bids, asks, _checksum ? ChecksumOf(state) : 0));
    }

    /// <summary>Every touched level with its size now (0 = gone), best first; the published book takes them.</summary>
    private static List<(long Px, long Sz)> Touched(HashSet<long> dirty, SortedDictionary<long, long> side, SortedDictionary<long, long> shown,
        bool descending)
    {
        var prices = dirty.ToList();
        prices.Sort();
        if (descending)
        {
            prices.Reverse();
        }

        var levels = new List<(long Px, long Sz)>(prices.Count);
        foreach (var px in prices)
        {
            var sz = side.GetValueOrDefault(px);
            levels.Add((px, sz));
            if (sz == 0)
            {
                shown.Remove(px);
            }
            else
            {
                shown[px] = sz;
            }
        }

        dirty.Clear();
        return levels;
    }

    private BookState Remember()
    {
        var state = Published();
        _ring[_ringNext] = state;
        _ringNext = (_ringNext + 1) % RingSize;
        return state;
    }

    private void QuoteChanged(long ts, List<MicroEvent> output)
    {
        var quote = Best();
        if (quote == _lastQuote)
        {
            return;
        }

        _lastQuote = quote;
        if (Instrument.IsBinance)
        {
            output.Add(new QuoteEvent(ts, _updateId, quote.Item1, quote.Item2, quote.Item3, quote.Item4));
            LastQuoteSeq = _updateId;
        }
        else
        {
            _quoteDirty = true; // OKX bbo-tbt: at most one per 10 ms
        }
    }

    private (long, long, long, long) Best()
    {
        var (bid, bidSz) = _bids.Count == 0 ? (0L, 0L) : (_bids.Keys.First(), _bids.Values.First());
        var (ask, askSz) = _asks.Count == 0 ? (0L, 0L) : (_asks.Keys.First(), _asks.Values.First());
        return (bid, bidSz, ask, askSz);
    }

    private void Set(SortedDictionary<long, long> side, HashSet<long> dirty, long px, long sz)
    {
        if (sz <= 0)
        {
            if (!side.Remove(px))
            {
                return;
            }
        }
        else if (side.TryGetValue(px, out var old) && old == sz)
        {
            return;
        }
        else
        {
            side[px] = sz;
        }

        _updateId++;
        dirty.Add(px);
    }

    private long LevelSize()
    {
        var lot = Instrument.LotUnits;
        var units = Instrument.MedianSizeUnits * (1 + _rng.Below(12)) + _rng.Below((int)Math.Min(int.MaxValue, Instrument.MedianSizeUnits + 1));
        return Math.Max(lot, units / lot * lot);
    }

    private long MarkOf()
    {
        var (bid, _, ask, _) = _lastQuote;
        return bid > 0 && ask > 0 ? (bid + ask) * _to8 / 2 : _lastPx * _to8;
    }

    private long IndexOffset(long t) => ((long)(SimHash.Combine(_key, 0x1D3UL, (ulong)t) % 201) - 100) * _tick * _to8 / 20;

    private long FundingRate(long t) => 10_000 + (long)(SimHash.Combine(_key, 0xF0DUL, (ulong)(t / 60_000)) % 6001) - 3000;

    private long StartPrice(long startMs)
    {
        for (var b = MarketGenerator.BlockOf(startMs); b < MarketGenerator.BlockOf(startMs) + 360; b++)
        {
            var prints = _market.Block(b).Prints.Span;
            if (prints.Length > 0)
            {
                return prints[0].PriceUnits;
            }
        }

        return (long)(Instrument.BasePrice * Pow10(Instrument.PriceScale));
    }

    private static bool Better(bool buy, long level, long px) => buy ? level < px : level > px;

    private static List<(long Px, long Sz)> Levels(SortedDictionary<long, long> side) => [.. side.Select(kv => (kv.Key, kv.Value))];

    private static void Copy(SortedDictionary<long, long> from, SortedDictionary<long, long> to)
    {
        to.Clear();
        foreach (var (px, sz) in from)
        {
            to[px] = sz;
        }
    }

    private static long Pow10(int n)
    {
        var r = 1L;
        for (var i = 0; i < n; i++)
        {
            r *= 10;
        }

        return r;
    }
}
