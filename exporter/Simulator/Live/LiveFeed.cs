using Pipeline.Simulator.Market;
using Pipeline.Simulator.Micro;
using Pipeline.Simulator.Truth;
using Serilog;

namespace Pipeline.Simulator.Live;

/// <summary>
/// The tape: every <see cref="SimulatorOptions.PublishInterval"/> it publishes, per instrument, the prints
/// with event time in (previous now, now], to the subscribed connections and to the truth writer, then the
/// microstructure up to the same now (<see cref="MicroFeed"/>, when on).
/// Everything from the clock's start up to <see cref="PublishedThroughMs"/> has been published.
/// </summary>
public sealed class LiveFeed
{
    private static readonly ILogger Log = Serilog.Log.ForContext<LiveFeed>();
    private readonly IReadOnlyDictionary<string, MarketGenerator> _markets;
    private readonly SimClock _clock;
    private readonly TruthWriter? _truth;
    private readonly TimeSpan _interval;
    private readonly MicroFeed? _micro;
    private readonly object _gate = new();
    private readonly Dictionary<string, ILiveSink[]> _sinks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tape> _tapes;
    private long _published;

    public LiveFeed(IReadOnlyDictionary<string, MarketGenerator> markets, SimClock clock, TruthWriter? truth, TimeSpan interval,
        MicroFeed? micro = null)
    {
        _micro = micro;
        _markets = markets;
        _clock = clock;
        _truth = truth;
        _interval = interval;
        _published = clock.StartMs - 1;
        _tapes = markets.Keys.ToDictionary(k => k, _ => new Tape(), StringComparer.Ordinal);
    }

    /// <summary>Event time up to which (inclusive) every trade has been published.</summary>
    public long PublishedThroughMs => Interlocked.Read(ref _published);

    /// <summary>
    /// Trades of <paramref name="instId"/> published so far, counted as the raw-trade lines an exporter records
    /// (one per OKX fill as on <c>trades-all</c>, one per Binance aggTrade): what the truth holds.
    /// </summary>
    public long TradesPublished(string instId) => _tapes.TryGetValue(instId, out var tape) ? Interlocked.Read(ref tape.Trades) : 0;

    /// <summary>The id of the last trade of <paramref name="instId"/> published (OKX fill id, Binance aggregate id); null before the first.</summary>
    public long? LastTradeIdPublished(string instId) =>
        _tapes.TryGetValue(instId, out var tape) && Interlocked.Read(ref tape.LastId) is var id and >= 0 ? id : null;

    /// <summary>The live connections subscribed to <paramref name="instId"/> now.</summary>
    public int Subscribers(string instId)
    {
        lock (_gate)
        {
            return _sinks.GetValueOrDefault(instId, []).Length;
        }
    }

    public void Subscribe(string instId, ILiveSink sink)
    {
        lock (_gate)
        {
            var current = _sinks.GetValueOrDefault(instId, []);
            if (Array.IndexOf(current, sink) < 0)
            {
                _sinks[instId] = [.. current, sink];
            }
        }
    }

    public void Unsubscribe(string instId, ILiveSink sink)
    {
        lock (_gate)
        {
            if (_sinks.TryGetValue(instId, out var current))
            {
                _sinks[instId] = [.. current.Where(s => !ReferenceEquals(s, sink))];
            }
        }
    }

    public void UnsubscribeAll(ILiveSink sink)
    {
        lock (_gate)
        {
            foreach (var key in _sinks.Keys.ToList())
            {
                _sinks[key] = [.. _sinks[key].Where(s => !ReferenceEquals(s, sink))];
            }
        }
    }

    public async Task RunAsync(CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(_interval, _clock.Time, token);
                PublishUpTo(_clock.NowMs);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // stopping
        }
        catch (Exception ex)
        {
            Log.Error(ex, "Live feed stopped at {PublishedThrough}", PublishedThroughMs);
            throw;
        }
        finally
        {
            _truth?.Complete(PublishedThroughMs);
        }
    }

    /// <summary>Publishes everything up to <paramref name="now"/> (inclusive). Single caller: the run loop.</summary>
    public void PublishUpTo(long now)
    {
        var from = _published + 1;
        if (now < from)
        {
            return;
        }

        foreach (var (instId, market) in _markets)
        {
            var tape = _tapes[instId];
            ILiveSink[] sinks;
            lock (_gate)
            {
                sinks = _sinks.GetValueOrDefault(instId, []);
            }

            for (var b = MarketGenerator.BlockOf(from); b <= MarketGenerator.BlockOf(now); b++)
            {
                var block = market.Block(b);
                var start = block.FirstPrintAtOrAfter(from);
                var end = block.FirstPrintAtOrAfter(now + 1);
                if (end <= start)
                {
                    continue;
                }

                var batch = new LiveBatch(block, start, end, now);
                tape.Count(batch);
                _truth?.Write(batch);
                foreach (var sink in sinks)
                {
                    try
                    {
                        sink.Offer(batch);
                    }
                    // Catch-all on purpose: one broken subscriber must not stop the tape
                    catch (Exception ex)
                    {
                        Log.Warning(ex, "Live sink failed for {InstId}", instId);
                    }
                }
            }
        }

        _micro?.PublishUpTo(now);
        Interlocked.Exchange(ref _published, now);
        _truth?.FlushIfDue(now);
    }

    /// <summary>What has been published of one instrument (written by the publishing thread only).</summary>
    private sealed class Tape
    {
        public long Trades;
        public long LastId = -1;

        public void Count(LiveBatch batch)
        {
            var prints = batch.Block.Prints.Span;
            if (batch.Block.Instrument.IsBinance)
            {
                Interlocked.Add(ref Trades, batch.PrintEnd - batch.PrintStart);
                Interlocked.Exchange(ref LastId, prints[batch.PrintEnd - 1].Ordinal);
                return;
            }

            var fills = 0L;
            for (var i = batch.PrintStart; i < batch.PrintEnd; i++)
            {
                fills += prints[i].FillCount;
            }

            var last = prints[batch.PrintEnd - 1];
            Interlocked.Add(ref Trades, fills);
            Interlocked.Exchange(ref LastId, batch.Block.Fills.Span[last.FillStart + last.FillCount - 1].Id);
        }
    }
}
