using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Recording;
using Pipeline.Testing;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.GapFill;

/// <summary>
/// An outage before a symbol's first live trade (issue: a Binance USD-M capture with a 4-second outage just
/// before one symbol's first aggTrade lost that symbol's trades in silence). The real filler, queue and
/// recorder run in the order the exporter drives them on connect, disconnect and reconnect; REST is a
/// recorded aggTrades history served from memory.
/// </summary>
public sealed class GapFillerBaselineTests : IDisposable
{
    private const string Symbol = "BTCUSDT";
    private static readonly long T0 = TradeTime.DayStartMs(new DateOnly(2026, 11, 20)) + 3_600_000;
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly BinanceFrameParser _parser = new([Symbol]);

    public GapFillerBaselineTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reconnect_OutageBeforeTheSymbolsFirstLiveTrade_OutageTradesAreFilledFromRest()
    {
        // REST knows 500 (before we subscribe), then 501..503 happen during the outage, 504 after it.
        var rest = new HistorySource([Trade(500, T0)]);
        await using (var run = await Run.StartAsync(this, rest))
        {
            run.Connected(first: true);
            await run.WaitAsync("the REST baseline", () => run.Recorder.ContiguousId == 499);
            run.Disconnected();
            rest.Add(Trade(501, T0 + 1000), Trade(502, T0 + 2000), Trade(503, T0 + 3000));
            run.Connected(first: false); // 4 s later: no live trade of this symbol was ever seen
            await run.WaitAsync("the catch-up", () => run.Recorder.ContiguousId == 503);
            await run.Live(Trade(504, T0 + 4500));
            await run.WaitAsync("the live trade", () => run.Recorder.ContiguousId == 504);
        }

        var ids = RawTradeFile.ReadAll(_vault.RawDayJsonl("binance", Symbol, TradeTime.Day(T0))).Select(t => t.TradeId).ToList();
        Assert.Equal(["500", "501", "502", "503", "504"], ids);
        Assert.Empty(ReadState().KnownGaps);
    }

    [Fact]
    public async Task Reconnect_RestDownDuringCatchUp_LeavesAKnownGapInState_ClosedWhenRestAnswers()
    {
        var rest = new HistorySource([Trade(500, T0)]);
        await using var run = await Run.StartAsync(this, rest);
        run.Connected(first: true);
        await run.WaitAsync("the REST baseline", () => run.Recorder.ContiguousId == 499);
        rest.Add(Trade(501, T0 + 1000));
        rest.Down = true;
        run.Disconnected();
        run.Connected(first: false);
        await run.WaitAsync("the known gap", () => run.Recorder.KnownGaps.Count == 1);
        // The writer's own tick saves the state (at least every second of its clock); only it writes the file.
        await run.WaitAsync("the known gap in the state file", () => new StateFile<ExporterState>(_vault.ExporterState("binance", Symbol)).Read()?.KnownGaps.Count == 1);
        var gap = Assert.Single(ReadState().KnownGaps);
        Assert.Equal("499", gap.AfterTradeId);
        Assert.Null(gap.BeforeTradeId);

        rest.Down = false; // the filler retries by itself (1 s backoff, on the fake clock)
        await run.WaitAsync("the retried catch-up", () => run.Recorder.ContiguousId == 501 && run.Recorder.KnownGaps.Count == 0);
    }

    [Fact]
    public async Task Reconnect_NoBaselineBecauseRestWasDown_OutageIsAKnownGapWithoutIds()
    {
        var rest = new HistorySource([Trade(500, T0)]) { Down = true };
        await using var run = await Run.StartAsync(this, rest);
        run.Connected(first: true);
        await run.WaitAsync("the failed baseline", () => rest.Calls > 0);
        run.Disconnected();
        run.Connected(first: false);
        await run.WaitAsync("the known gap", () => run.Recorder.KnownGaps.Count == 1);
        var gap = run.Recorder.KnownGaps[0];
        Assert.Null(gap.AfterTradeId);
        Assert.Contains("outage before the first trade id", gap.Reason, StringComparison.Ordinal);
    }

    private ExporterState ReadState() => new StateFile<ExporterState>(_vault.ExporterState("binance", Symbol)).Read()!;

    private TradeItem Trade(long id, long ts)
    {
        var frame = TestSpecs.BinanceTradeFrame(Symbol, id, ts);
        Assert.Equal(BinanceFrameKind.Trades, _parser.ParseFrame(frame, ts + 20));
        return _parser.Items[0];
    }

    /// <summary>aggTrades history from memory: latest and fromId pages, or an error while <see cref="Down"/>.</summary>
    private sealed class HistorySource(IReadOnlyList<TradeItem> initial) : IRestTradeSource
    {
        private readonly List<TradeItem> _trades = [.. initial];
        private int _calls;

        public volatile bool Down;

        public int Calls => Volatile.Read(ref _calls);

        /// <summary>Trades that happen now (REST sees them from here on).</summary>
        public void Add(params TradeItem[] trades)
        {
            lock (_trades)
            {
                _trades.AddRange(trades);
            }
        }

        private List<TradeItem> Snapshot()
        {
            lock (_trades)
            {
                return [.. _trades];
            }
        }

        public async Task<bool> FetchAsync(int instrument, long fromExclusive, long? toExclusive,
            Func<IReadOnlyList<TradeItem>, CancellationToken, Task> post, CancellationToken token)
        {
            Interlocked.Increment(ref _calls);
            ThrowIfDown();
            var rows = Snapshot().Where(t => t.Id > fromExclusive && (toExclusive is not { } to || t.Id < to))
                .Select(t => t with { Src = TradeSource.Rest }).ToList();
            await post(rows, token);
            return true;
        }

        public Task<(long Id, long Ts)?> LatestAsync(int instrument, CancellationToken token)
        {
            Interlocked.Increment(ref _calls);
            ThrowIfDown();
            var last = Snapshot()[^1];
            return Task.FromResult<(long Id, long Ts)?>((last.Id, last.Ts));
        }

        private void ThrowIfDown()
        {
            if (Down)
            {
                throw new HttpRequestException("connection refused");
            }
        }
    }

    /// <summary>The recorder, its queue and filler, wired as <see cref="ExporterService"/> wires them.</summary>
    private sealed class Run : IAsyncDisposable
    {
        private readonly InstrumentPump _pump;
        private readonly GapFiller _filler;
        private readonly CancellationTokenSource _stop = new();

        // The recorder's, queue's and filler's clock (its retry backoff too): moved by WaitAsync, a minute after the trades.
        private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(T0 + 60_000));
        private readonly Task _pumpTask;
        private readonly Task _fillerTask;

        private Run(GapFillerBaselineTests test, IRestTradeSource rest)
        {
            var options = TestSpecs.Options("binance", Symbol);
            Recorder = new InstrumentRecorder(TestSpecs.Binance, test._vault, options, _time, new CollectingSink().Logger());
            Recorder.Open();
            _pump = new InstrumentPump(Recorder, 1024, time: _time);
            _filler = new GapFiller(rest, _pump, 0, settle: TimeSpan.Zero, time: _time);
            _pumpTask = Task.Run(_pump.RunAsync);
            _fillerTask = _filler.RunAsync(_stop.Token);
        }

        public InstrumentRecorder Recorder { get; }

        public static Task<Run> StartAsync(GapFillerBaselineTests test, IRestTradeSource rest) => Task.FromResult(new Run(test, rest));

        public void Connected(bool first)
        {
            if (!first)
            {
                _pump.TryPost(TradeItem.Control(TradeItemKind.Reconnected));
            }

            _pump.TryPost(TradeItem.Control(TradeItemKind.Connected));
            _filler.RequestCatchUp();
        }

        public void Disconnected() => _pump.TryPost(TradeItem.Control(TradeItemKind.Disconnected));

        public async Task Live(TradeItem trade) => await _pump.PostAsync(trade, CancellationToken.None);

        /// <summary>
        /// Moves the fake clock 250 ms and ticks the recorder (as the exporter's 250 ms timer does) until the
        /// condition holds; fails naming <paramref name="what"/> after 20 s of real time.
        /// </summary>
        public Task<bool> WaitAsync(string what, Func<bool> condition) =>
            Waits.UntilAsync(() =>
            {
                if (condition())
                {
                    return true;
                }

                _time.Advance(TimeSpan.FromMilliseconds(250));
                _pump.TryPost(TradeItem.Control(TradeItemKind.Tick));
                return false;
            }, TimeSpan.FromSeconds(20), what);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _fillerTask;
            _pump.Complete();
            await _pumpTask;
            Recorder.Dispose();
            _stop.Dispose();
        }
    }
}
