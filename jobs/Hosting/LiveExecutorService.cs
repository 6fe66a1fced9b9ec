using Microsoft.Extensions.Hosting;
using Pipeline.Exporter.Rest;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Execution.Venue;
using Pipeline.Jobs.Logging;
using Pipeline.Jobs.Trading;
using Pipeline.Vault.Layout;
using Serilog;

namespace Pipeline.Jobs.Hosting;

/// <summary>
/// Runs one live strategy's <see cref="VenueExecutor"/> for the life of <c>pipeline run</c>. A venue that refuses the API
/// key (<see cref="VenueErrorKind.Auth"/>) stops the host: <see cref="LiveTrading.Fatal"/> holds the one line the run
/// exits 1 with. The executor retries a venue that is down or busy itself; any other failure that ends it (a state file
/// it cannot write) is logged and the executor is made again after a pause that doubles up to a minute: a new executor reconciles with
/// the venue before it decides anything, so a restart never sends an order twice.
/// </summary>
public sealed class LiveExecutorService(LiveStrategyRun run, LiveTrading live, VaultLayout vault, TradingConfig trading,
    TimeProvider time, IHostApplicationLifetime lifetime, Func<LiveStrategy, IOrderVenue>? venues = null) : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromMinutes(1);

    private readonly ILogger _log = Log.ForContext<LiveExecutorService>();

    public LiveStrategyRun Run { get; } = run;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var strategy = Run.Live.Strategy;
        var retry = FirstRetry;
        while (!stoppingToken.IsCancellationRequested)
        {
            var started = time.GetTimestamp();
            try
            {
                await using var venue = venues is null
                    ? OrderVenueFactory.Create(strategy, trading, Run.Live.Decision, time)
                    : venues(Run.Live);
                await using var executor = new VenueExecutor(vault, strategy, venue, time, new VenueExecutorOptions { Poll = trading.Poll });
                Run.Running(executor);
                _log.Information("Live strategy {Strategy}: executor started on {Venue} {InstId} ({Endpoint})",
                    strategy.Id, Run.Venue, strategy.InstId, EndpointRedaction.Redact(Run.Live.Target.Endpoint)); // as /health and the banner show it
                await executor.RunAsync(stoppingToken);
                Run.Ended(LiveRunStates.Stopped, null);
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                Run.Ended(LiveRunStates.Stopped, null);
                return;
            }
            catch (VenueException ex) when (ex.Kind == VenueErrorKind.Auth)
            {
                // A bad or revoked key: retrying would only hammer the exchange with it. One line, the host stops, exit 1.
                var line = $"live trading stopped: strategy {strategy.Id} on {Run.Venue}: the venue refused the credentials (API key {Run.Live.Decision.Credentials?.KeyId}): {SecretRedactor.Redact(ex.Message)}";
                Run.Ended(LiveRunStates.AuthFailed, line);
                live.Fail(line);
                _log.Fatal("{Failure}", line);
                lifetime.StopApplication();
                return;
            }
            // Catch-all on purpose: a service boundary: any other failure is logged and the executor made again
            catch (Exception ex)
            {
                var error = SecretRedactor.Redact(PipelineLogging.Describe(ex));
                Run.Ended(LiveRunStates.Restarting, error);
                // A run that lasted a while before failing starts the backoff over.
                if (time.GetElapsedTime(started) > MaxRetry)
                {
                    retry = FirstRetry;
                }

                _log.Error("Live strategy {Strategy} on {Venue}: executor stopped: {Error}; starting it again in {Delay}",
                    strategy.Id, Run.Venue, error, retry);
                try
                {
                    await Task.Delay(retry, time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    Run.Ended(LiveRunStates.Stopped, null);
                    return;
                }

                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, MaxRetry.Ticks));
            }
        }
    }
}
