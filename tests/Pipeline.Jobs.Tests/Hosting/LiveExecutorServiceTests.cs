using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Hosting;
using Pipeline.Jobs.Trading;
using Pipeline.Jobs.Tests.Trading;
using Pipeline.Testing.Trading;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>
/// The live executor inside the real host: a refused key stops the host with one line and no second attempt; any other
/// failure that ends the executor (not a venue error: the executor retries those itself) is retried after a pause with a
/// new executor.
/// </summary>
public sealed class LiveExecutorServiceTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDir _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _dir.Dispose();

    private PipelineConfig Config()
    {
        var file = _dir.File("pipeline.yaml");
        File.WriteAllText(file, $"""
            vault: {_dir.File("vault")}
            exchanges:
              okx:
                enabled: false
              binance:
                enabled: false
            health:
              address: off
            schedule:
              heartbeat: "0 0 0 1 1 ?"
            """);
        return PipelineConfigLoader.Load(file, new Dictionary<string, string>(), [], _dir.Path);
    }

    private static LiveTrading Live()
    {
        var (key, secret) = LivePlanTests.NewKey();
        return new LiveTrading(LivePlan.Decide([LivePlanTests.Strategy("live_btc", "binance", "BTCUSDT", "live")], TradingConfig.Default, true,
            LivePlanTests.Env(("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret))));
    }

    private IHost Host(PipelineConfig config, LiveTrading live, Func<LiveStrategy, IOrderVenue> venues) =>
        PipelineHost.Build(config, HostMode.Run, (services, c) =>
        {
            services.AddSingleton<TimeProvider>(_time);
            HostComposition.AddLiveTrading(services, c, live, venues);
        });

    [Fact]
    public async Task Run_VenueRefusesTheKey_HostStopsWithOneLineAndNeverConnectsAgain()
    {
        var live = Live();
        var venues = new List<ScriptedVenue>();
        using var host = Host(Config(), live, _ =>
        {
            var venue = new ScriptedVenue(TradingVenues.Binance)
            {
                ConnectFailure = new VenueException(VenueErrorKind.Auth, "binance: POST /fapi/v1/listenKey: -2015 Invalid API-key, IP, or permissions for action", "-2015"),
            };
            venues.Add(venue);
            return venue;
        });

        using var bound = new CancellationTokenSource(Bound);
        await host.RunAsync(bound.Token); // ends by itself: the service stops the application

        Assert.False(bound.IsCancellationRequested, "the host should have stopped on the refused key");
        var keyId = live.Runs[0].Live.Decision.Credentials!.KeyId;
        Assert.Equal(
            $"live trading stopped: strategy live_btc on binance: the venue refused the credentials (API key {keyId}): binance: POST /fapi/v1/listenKey: -2015 Invalid API-key, IP, or permissions for action",
            live.Fatal);
        Assert.Equal(LiveRunStates.AuthFailed, live.Runs[0].State);
        Assert.Equal(1, Assert.Single(venues).ConnectCalls);
    }

    [Fact]
    public async Task Run_ExecutorEndsWithAFailure_RetriedAfterAPauseWithANewExecutor()
    {
        var live = Live();
        var venues = new List<ScriptedVenue>();
        using var host = Host(Config(), live, _ =>
        {
            var venue = new ScriptedVenue(TradingVenues.Binance)
            {
                // Not a venue error (those the executor retries itself): something that ends it, as a state it cannot write.
                ConnectFailure = venues.Count == 0 ? new IOException("state/venue/live_btc.json: No space left on device") : null,
            };
            venues.Add(venue);
            return venue;
        });
        await host.StartAsync();
        try
        {
            var run = live.Runs[0];
            await Waits.UntilAsync(() => run.State == LiveRunStates.Restarting, Bound, "the executor to fail and wait to restart");
            Assert.Equal("state/venue/live_btc.json: No space left on device", run.Error);
            Assert.Single(venues);

            _time.Advance(TimeSpan.FromSeconds(1)); // the first pause
            await Waits.UntilAsync(() => run.State == LiveRunStates.Running && run.Status?.LastStepAt is not null, Bound,
                "a new executor to connect and step");
            Assert.Equal(2, venues.Count);
            Assert.Null(live.Fatal);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
