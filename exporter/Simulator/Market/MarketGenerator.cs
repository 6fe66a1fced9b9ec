namespace Pipeline.Simulator.Market;

/// <summary>
/// The deterministic synthetic market of one instrument: a pure function of (seed, instrument, rate,
/// time). Time is cut into blocks of <see cref="BlockMs"/>; each block is generated from its own
/// hash-derived seed, and its first trade id is a prefix sum of cheap per-block counts
/// (<see cref="Header"/>) cached per day from <see cref="Genesis"/>, so any range of any day can be
/// produced on its own with consecutive ids.
/// </summary>
/// <remarks>
/// Price: the log price at each block boundary is a sum of 17 octaves of piecewise-linear noise
/// (scales 10 s .. 7.6 days, amplitude ~ sqrt(scale), so it behaves like a random walk with trends at
/// every scale); inside a block taker orders walk a Brownian bridge between the two anchors, scaled by
/// the 5-minute regime (quiet, normal, trend, burst), with occasional 5-second spikes. Each taker order
/// fills several makers at one or two price levels (one print per order and price).
/// </remarks>
public sealed class MarketGenerator
{
    public const long BlockMs = 10_000;
    public const int BlocksPerDay = (int)(86_400_000 / BlockMs);
    private const int RegimeBlocks = 30;
    private const int Octaves = 17;
    private const int CacheBlocks = 256;
    private const int CacheDays = 8;

    /// <summary>The day whose first block has the id origins below; earlier days count backwards.</summary>
    public static readonly DateOnly Genesis = new(2026, 1, 1);

    private static readonly long GenesisDay = Genesis.DayNumber - new DateOnly(1970, 1, 1).DayNumber;

    private readonly ulong _key;
    private readonly ulong _regimeKey;
    private readonly ulong _headerKey;
    private readonly long _fillOrigin;
    private readonly long _printOrigin;
    private readonly double _logBase;
    private readonly double _priceFactor;
    private readonly object _gate = new();
    private readonly Dictionary<long, LinkedListNode<MarketBlock>> _blocks = [];
    private readonly LinkedList<MarketBlock> _lru = new();
    private readonly Dictionary<long, DayPrefix> _days = [];
    private readonly Queue<long> _dayOrder = new();
    private readonly List<(long Fills, long Prints)> _forward = [];
    private readonly List<(long Fills, long Prints)> _backward = [];
    private readonly (long FromBlock, long ToBlock)[] _silent;

    /// <param name="silences">Event-time stretches [from, to) in Unix ms with no trade at all (rounded out to whole
    /// 10-s blocks): a quiet instrument, seen the same way by the live feed, REST, archives and the truth.</param>
    public MarketGenerator(SimInstrument instrument, ulong seed, double fillsPerSecond, IEnumerable<(long FromMs, long ToMs)>? silences = null)
    {
        ArgumentNullException.ThrowIfNull(instrument);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fillsPerSecond);
        Instrument = instrument;
        Seed = seed;
        FillsPerSecond = fillsPerSecond;
        _key = SimHash.Combine(seed, SimHash.Key(instrument.Exchange + "/" + instrument.InstId));
        _regimeKey = SimHash.Combine(_key, 0x5245_4749_4D45UL);
        _headerKey = SimHash.Combine(_key, 0x4845_4144UL);
        _fillOrigin = instrument.IsBinance ? 6_000_000_000 : 5_000_000_000;
        _printOrigin = instrument.IsBinance ? 2_000_000_000 : 1_000_000_000;
        _logBase = Math.Log((double)instrument.BasePrice);
        _priceFactor = Math.Pow(10, instrument.PriceScale) / instrument.TickUnits;
        _forward.Add((_fillOrigin, _printOrigin));
        _silent = [.. (silences ?? []).Where(x => x.ToMs > x.FromMs).Select(x => (BlockOf(x.FromMs), BlockOf(x.ToMs - 1)))];
    }

    public SimInstrument Instrument { get; }

    public ulong Seed { get; }

    /// <summary>Average fills (maker matches) per second of event time.</summary>
    public double FillsPerSecond { get; }

    public static long BlockOf(long ts) => FloorDiv(ts, BlockMs);

    /// <summary>Counts and regime of a block, from hashes only.</summary>
    public BlockHeader Header(long block)
    {
        var hr = SimHash.Combine(_regimeKey, (ulong)FloorDiv(block, RegimeBlocks));
        var u = SimHash.Unit(hr);
        var (regime, intensity) = u switch
        {
            < 0.30 => (MarketRegime.Quiet, 0.45),
            < 0.70 => (MarketRegime.Normal, 1.0),
            < 0.90 => (MarketRegime.Trend, 1.25),
            _ => (MarketRegime.Burst, 2.3),
        };
        var trendSign = ((hr >> 7) & 1) == 0 ? 1 : -1;
        var hb = SimHash.Combine(_headerKey, (ulong)block);
        var mean = FillsPerSecond * (BlockMs / 1000.0) * (intensity / 1.015) * (0.6 + (0.8 * SimHash.Unit(hb)));
        var fills = (int)(mean + SimHash.Unit(SimHash.Mix(hb + 1)));
        if (fills == 0 || IsSilent(block))
        {
            return new BlockHeader(0, 0, 0, regime, trendSign);
        }

        var prints = Math.Clamp((int)Math.Round(fills * (0.36 + (0.2 * SimHash.Unit(SimHash.Mix(hb + 2))))), 1, fills);
        var skips = Instrument.IsBinance && SimHash.Unit(SimHash.Mix(hb + 3)) < 0.03 ? 1 : 0;
        return new BlockHeader(fills, prints, skips, regime, trendSign);
    }

    private bool IsSilent(long block)
    {
        foreach (var (from, to) in _silent)
        {
            if (block >= from && block <= to)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first fill id (OKX tradeId; Binance underlying id) of a block.</summary>
    public long FillIdBase(long block)
    {
        var day = FloorDiv(block, BlocksPerDay);
        var within = (int)(block - (day * BlocksPerDay));
        lock (_gate)
        {
            return DayBase(day).Fills + Prefix(day).Fills[within];
        }
    }

    /// <summary>The first print ordinal (OKX seqId; Binance aggregate id a) of a block.</summary>
    public long PrintBase(long block)
    {
        var day = FloorDiv(block, BlocksPerDay);
        var within = (int)(block - (day * BlocksPerDay));
        lock (_gate)
        {
            return DayBase(day).Prints + Prefix(day).Prints[within];
        }
    }

    /// <summary>The block holding fill id <paramref name="id"/> (or where it would be if ids skip it).</summary>
    public long BlockOfFillId(long id) => BlockOfId(id, fills: true);

    /// <summary>The block holding print ordinal <paramref name="ordinal"/>.</summary>
    public long BlockOfPrint(long ordinal) => BlockOfId(ordinal, fills: false);

    /// <summary>The block, from a small cache (the live feed, REST and truth ask for the same recent blocks).</summary>
    public MarketBlock Block(long block)
    {
        lock (_gate)
        {
            if (_blocks.TryGetValue(block, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                return node.Value;
            }
        }

        var generated = Generate(block);
        lock (_gate)
        {
            if (!_blocks.ContainsKey(block))
            {
                _blocks[block] = _lru.AddFirst(generated);
                if (_lru.Count > CacheBlocks)
                {
                    var last = _lru.Last!;
                    _lru.RemoveLast();
                    _blocks.Remove(last.Value.Index);
                }
            }
        }

        return generated;
    }

    /// <summary>Generates a block from scratch (no cache): what archives and bulk readers use.</summary>
    public MarketBlock Generate(long block)
    {
        var header = Header(block);
        if (header.Fills == 0)
        {
            return new MarketBlock(Instrument, block, [], []);
        }

        var fillBase = FillIdBase(block);
        var printBase = PrintBase(block);
        var rng = new SimRandom(SimHash.Combine(_key, 0x424F_4459UL, (ulong)block));
        int printCount = header.Prints, fillCount = header.Fills;

        var perPrint = new int[printCount];
        Array.Fill(perPrint, 1);
        for (var e = fillCount - printCount; e > 0; e--)
        {
            perPrint[rng.Below(printCount)]++;
        }

        // Which prints start a new taker order (the rest continue the previous order one tick further).
        var startsOrder = new bool[printCount];
        var orders = 0;
        for (var i = 0; i < printCount; i++)
        {
            startsOrder[i] = i == 0 || rng.Chance(0.72);
            if (startsOrder[i])
            {
                orders++;
            }
        }

        var offsets = new int[orders];
        for (var k = 0; k < orders; k++)
        {
            offsets[k] = rng.Below((int)BlockMs);
        }

        Array.Sort(offsets);

        var volatility = Instrument.BlockVolatility * header.Regime switch
        {
            MarketRegime.Quiet => 0.5,
            MarketRegime.Trend => 1.2,
            MarketRegime.Burst => 2.5,
            _ => 1.0,
        };
        var walk = new double[orders];
        var stepSigma = volatility / Math.Sqrt(orders);
        var w = 0.0;
        for (var k = 0; k < orders; k++)
        {
            w += rng.Gaussian() * stepSigma;
            walk[k] = w;
        }

        var spike = rng.Chance(header.Regime == MarketRegime.Burst ? 0.12 : 0.004);
        var spikeStart = spike ? rng.Below((int)BlockMs - 5000) : 0;
        var spikeAmplitude = spike ? (rng.Chance(0.5) ? 1 : -1) * (0.0015 + (0.0035 * rng.Unit())) : 0.0;
        var buyProbability = header.Regime == MarketRegime.Trend ? 0.5 + (0.12 * header.TrendSign) : 0.5;

        var a0 = AnchorLog(block);
        var a1 = AnchorLog(block + 1);
        var end = orders > 0 ? walk[orders - 1] : 0.0;

        var fills = new SimFill[fillCount];
        var prints = new SimPrint[printCount];
        var order = -1;
        var fillIndex = 0;
        var nextId = fillBase;
        var skipAt = header.Skips > 0 ? rng.Below(printCount) : -1;
        long ts = 0, price = 0;
        var buy = false;
        for (var i = 0; i < printCount; i++)
        {
            if (startsOrder[i])
            {
                order++;
                var x = offsets[order] / (double)BlockMs;
                var logMid = a0 + ((a1 - a0) * x) + walk[order] - (end * x);
                if (spike && offsets[order] >= spikeStart && offsets[order] < spikeStart + 5000)
                {
                    logMid += spikeAmplitude * (1.0 - Math.Abs((2.0 * (offsets[order] - spikeStart) / 5000.0) - 1.0));
                }

                buy = rng.Chance(buyProbability);
                var ticks = Math.Exp(logMid) * _priceFactor;
                price = (long)(buy ? Math.Ceiling(ticks) : Math.Floor(ticks)) * Instrument.TickUnits;
                ts = (block * BlockMs) + offsets[order];
            }
            else
            {
                price += buy ? Instrument.TickUnits : -Instrument.TickUnits;
            }

            if (i == skipAt)
            {
                nextId++; // a non-market (insurance/ADL) trade id the public feed never shows
            }

            var first = nextId;
            long size = 0;
            for (var k = 0; k < perPrint[i]; k++)
            {
                var units = FillSize(ref rng);
                size += units;
                fills[fillIndex++] = new SimFill(nextId++, ts, price, units, buy, i);
            }

            prints[i] = new SimPrint(printBase + i, ts, price, size, buy, fillIndex - perPrint[i], perPrint[i], first, nextId - 1);
        }

        return new MarketBlock(Instrument, block, fills, prints);
    }

    /// <summary>Every block overlapping [fromTs, toTs] (inclusive), generated through the cache.</summary>
    public IEnumerable<MarketBlock> Blocks(long fromTs, long toTs)
    {
        for (var b = BlockOf(fromTs); b <= BlockOf(toTs); b++)
        {
            yield return Block(b);
        }
    }

    /// <summary>Every fill with fromTs &lt;= Ts &lt;= toTs, in id order (tests and tools; allocates).</summary>
    public IEnumerable<SimFill> FillsBetween(long fromTs, long toTs)
    {
        foreach (var block in Blocks(fromTs, toTs))
        {
            var fills = block.Fills;
            for (var i = block.FirstFillAtOrAfter(fromTs); i < fills.Length; i++)
            {
                var fill = fills.Span[i];
                if (fill.Ts > toTs)
                {
                    yield break;
                }

                yield return fill;
            }
        }
    }

    /// <summary>Every print with fromTs &lt;= Ts &lt;= toTs, in ordinal order.</summary>
    public IEnumerable<SimPrint> PrintsBetween(long fromTs, long toTs)
    {
        foreach (var block in Blocks(fromTs, toTs))
        {
            var prints = block.Prints;
            for (var i = block.FirstPrintAtOrAfter(fromTs); i < prints.Length; i++)
            {
                var print = prints.Span[i];
                if (print.Ts > toTs)
                {
                    yield break;
                }

                yield return print;
            }
        }
    }

    private long FillSize(ref SimRandom rng)
    {
        var lot = Instrument.LotUnits;
        var units = Instrument.MedianSizeUnits * Math.Exp(1.1 * rng.Gaussian());
        var whole = Instrument.IsOkx && Instrument.SizeScale > 0 && rng.Chance(0.4);
        var step = whole ? Pow10(Instrument.SizeScale) : lot;
        var n = Math.Max(1L, (long)Math.Round(units / step));
        return Math.Min(n * step, Instrument.MedianSizeUnits * 400);
    }

    private double AnchorLog(long block)
    {
        var sum = 0.0;
        for (var k = 0; k < Octaves; k++)
        {
            var scale = 1L << k;
            var node = FloorDiv(block, scale);
            var frac = (block - (node * scale)) / (double)scale;
            var g0 = NodeGaussian(k, node);
            var g1 = NodeGaussian(k, node + 1);
            sum += (g0 + ((g1 - g0) * frac)) * Math.Sqrt(scale) * 0.5;
        }

        return _logBase + (sum * Instrument.BlockVolatility);
    }

    private double NodeGaussian(int octave, long node)
    {
        var h = SimHash.Combine(_key, 0x4E4F_4445UL + (ulong)octave, (ulong)node);
        var u1 = 1.0 - SimHash.Unit(h);
        var u2 = SimHash.Unit(SimHash.Mix(h));
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private long BlockOfId(long id, bool fills)
    {
        var perDay = Math.Max(1.0, FillsPerSecond * 86_400 * (fills ? 1.0 : 0.46));
        var origin = fills ? _fillOrigin : _printOrigin;
        var day = GenesisDay + (long)Math.Floor((id - origin) / perDay);
        lock (_gate)
        {
            // The estimate is within a few days; a far-off id (a client's typo) must not scan years.
            for (var steps = 0; Base(day) > id; steps++)
            {
                day--;
                GuardSteps(steps, id);
            }

            for (var steps = 0; Base(day + 1) <= id; steps++)
            {
                day++;
                GuardSteps(steps, id);
            }

            var prefix = Prefix(day);
            var sums = fills ? prefix.Fills : prefix.Prints;
            var start = Base(day);
            int lo = 0, hi = BlocksPerDay - 1;
            while (lo < hi)
            {
                // first block whose end (start of next) is beyond id
                var mid = (lo + hi) >>> 1;
                if (start + sums[mid + 1] <= id)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return (day * BlocksPerDay) + lo;
        }

        long Base(long d) => fills ? DayBase(d).Fills : DayBase(d).Prints;
    }

    private void GuardSteps(int steps, long id)
    {
        if (steps > 400)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"{Instrument.InstId}: id {id} is far outside the simulated history");
        }
    }

    // Day bases: running sums from the genesis day, extended lazily in either direction. Caller holds _gate.
    private (long Fills, long Prints) DayBase(long day)
    {
        var offset = day - GenesisDay;
        if (offset >= 0)
        {
            if (_forward.Count <= offset)
            {
                // Day totals are independent: compute the missing ones in parallel, then sum in order.
                var first = GenesisDay + _forward.Count - 1;
                var totals = new (long Fills, long Prints)[offset - _forward.Count + 1];
                Parallel.For(0, totals.Length, k => totals[k] = DayTotals(first + k));
                foreach (var (f, p) in totals)
                {
                    var previous = _forward[^1];
                    _forward.Add((previous.Fills + f, previous.Prints + p));
                }
            }

            return _forward[(int)offset];
        }

        while (_backward.Count < -offset)
        {
            var next = _backward.Count == 0 ? _forward[0] : _backward[^1];
            var (f, p) = DayTotals(GenesisDay - _backward.Count - 1);
            _backward.Add((next.Fills - f, next.Prints - p));
        }

        var result = _backward[(int)(-offset) - 1];
        if (result.Fills < 1 || result.Prints < 1)
        {
            throw new InvalidOperationException(
                $"{Instrument.InstId}: trade ids would go below 1 that far before {Genesis:yyyy-MM-dd} at {FillsPerSecond} fills/s; choose a later start or a lower rate");
        }

        return result;
    }

    private (long Fills, long Prints) DayTotals(long day)
    {
        long fills = 0, prints = 0;
        var first = day * BlocksPerDay;
        for (var b = first; b < first + BlocksPerDay; b++)
        {
            var h = Header(b);
            fills += h.Fills + h.Skips;
            prints += h.Prints;
        }

        return (fills, prints);
    }

    // Per-block prefix sums within one day (small LRU). Caller holds _gate.
    private DayPrefix Prefix(long day)
    {
        if (_days.TryGetValue(day, out var cached))
        {
            return cached;
        }

        var fills = new int[BlocksPerDay + 1];
        var prints = new int[BlocksPerDay + 1];
        var first = day * BlocksPerDay;
        for (var i = 0; i < BlocksPerDay; i++)
        {
            var h = Header(first + i);
            fills[i + 1] = fills[i] + h.Fills + h.Skips;
            prints[i + 1] = prints[i] + h.Prints;
        }

        var prefix = new DayPrefix(fills, prints);
        _days[day] = prefix;
        _dayOrder.Enqueue(day);
        if (_dayOrder.Count > CacheDays)
        {
            _days.Remove(_dayOrder.Dequeue());
        }

        return prefix;
    }

    private static long Pow10(int n)
    {
        var v = 1L;
        for (var i = 0; i < n; i++)
        {
            v *= 10;
        }

        return v;
    }

    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }

    private sealed record DayPrefix(int[] Fills, int[] Prints);
}
