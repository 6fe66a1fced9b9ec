using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter;
using Pipeline.Simulator;

namespace Pipeline.Testing.Simulation;

/// <summary>
/// Runs the simulator and an exporter on one <see cref="FakeTimeProvider"/> (so simulated minutes pass at
/// once) and moves it in small steps. Before each step it waits, bounded, until the exporter's pings are
/// answered and (briefly) until it has handled what the simulator sent, so fake time never outruns the real
/// loopback sockets.
/// </summary>
public sealed class FakeClockDriver(FakeTimeProvider time, SimulatorHost sim, ExporterService service)
{
    /// <summary>How long one step may wait for the sockets (real time); a dead link test lowers it.</summary>
    public TimeSpan SettleBound { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan Step { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long one step may wait (real time) for the exporter's pings to be answered. A test whose link is meant
    /// to be dead (a stalled socket answers nothing) lowers it: there the answer never comes.
    /// </summary>
    public TimeSpan PingBound { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long one step may wait (real time) for a (re)connection's handshake and subscription.</summary>
    public TimeSpan ConnectBound { get; init; } = TimeSpan.FromSeconds(10);

    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>Advances until <paramref name="until"/> (fake time), calling <paramref name="each"/> after every step.</summary>
    public async Task RunUntilAsync(DateTimeOffset until, Action? each = null)
    {
        while (time.GetUtcNow() < until)
        {
            await SettleAsync();
            AdvanceStep();
            each?.Invoke();
        }

        await SettleAsync();
    }

    /// <summary>Advances until <paramref name="condition"/> holds; fails (naming <paramref name="what"/>) after <paramref name="limit"/> of fake time.</summary>
    public async Task RunUntilAsync(Func<bool> condition, string what, TimeSpan limit)
    {
        var end = time.GetUtcNow() + limit;
        while (!condition())
        {
            if (time.GetUtcNow() >= end)
            {
                throw new TimeoutException($"{what}: not within {limit} of simulated time");
            }

            await SettleAsync();
            AdvanceStep();
        }
    }

    /// <summary>
    /// Moves the clock to the next multiple of <see cref="Step"/> (from the epoch): the nudges of a settle are
    /// absorbed, so steps still land on whole seconds and minutes, where tests sample.
    /// </summary>
    private void AdvanceStep()
    {
        var now = time.GetUtcNow();
        var next = new DateTimeOffset(((now.UtcTicks / Step.Ticks) + 1) * Step.Ticks, TimeSpan.Zero);
        time.Advance(next - now);
    }

    /// <summary>
    /// Before an exporter runs: advances the simulator alone in <paramref name="step"/>s (waiting, bounded, until it
    /// has published up to each new now) until <paramref name="condition"/> holds; fails naming <paramref name="what"/>
    /// after <paramref name="limit"/> of simulated time.
    /// </summary>
    public static async Task AdvanceSimulatorUntilAsync(FakeTimeProvider time, SimulatorHost sim, Func<bool> condition, string what, TimeSpan limit, TimeSpan step)
    {
        var end = time.GetUtcNow() + limit;
        while (!condition())
        {
            if (time.GetUtcNow() >= end)
            {
                throw new TimeoutException($"{what}: not within {limit} of simulated time");
            }

            time.Advance(step);
            await PublishedAsync(time, sim, time.GetUtcNow().ToUnixTimeMilliseconds(), TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>
    /// Waits until the simulator has published up to <paramref name="now"/>. Its feed waits for each publish
    /// interval on the fake clock: a wait it registered just after the last Advance fires only on the next one,
    /// so when the publication does not come promptly the clock is nudged by one interval.
    /// </summary>
    private static async Task PublishedAsync(FakeTimeProvider time, SimulatorHost sim, long now, TimeSpan bound)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!await Waits.UntilAsync(() => sim.PublishedThroughMs >= now, TimeSpan.FromMilliseconds(200), "the simulator to publish up to now", throwOnTimeout: false)
            && waited.Elapsed < bound)
        {
            time.Advance(sim.Context.Options.PublishInterval);
        }
    }

    private async Task SettleAsync()
    {
        await Task.Yield();
        // Start-up and connecting are real I/O (REST metadata, WebSocket handshake, subscribe): let them finish
        // before fake time runs on, or the exporter's own timeouts fire first.
        await Waits.UntilAsync(() => service.Started.IsCompleted, SettleBound, "the exporter to start", throwOnTimeout: false);
        // The first connection: accepted by the simulator (a Binance stream URL has no acknowledgement frame, and
        // an unrouted one never sends anything, so the first frame is no signal there).
        await Waits.UntilAsync(() => service.Frames > 0 || sim.Context.Connections > 0 || service.Started.IsFaulted, SettleBound,
            "the first connection", throwOnTimeout: false);
        // A reconnect is real I/O too: fake time racing ahead of it fires the connect timeouts first.
        await Waits.UntilAsync(() => !service.Opening, ConnectBound, "a (re)connection to be subscribed", throwOnTimeout: false);
        // The fake timers fire on Advance, but their continuations run on the thread pool: wait until the
        // simulator has published up to now and the connection's watchdog (its 500-ms check) has caught up.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        await PublishedAsync(time, sim, now, SettleBound);
        await Waits.UntilAsync(() => service.WatchedUtc == 0 || service.WatchedUtc > now - 500, SettleBound, "the watchdog to run", throwOnTimeout: false);
        await Waits.UntilAsync(() => !service.PingOutstanding, PingBound, "the exporter's pings to be answered", throwOnTimeout: false);
        // The writers handle the answers on their own threads (the watermark moves there): on a busy machine they
        // fall behind a clock that moves on in microseconds while the market is quiet.
        var posted = service.AnsweredPingsPosted;
        await Waits.UntilAsync(() => service.Recorders.All(r => r.AnsweredPings >= posted), SettleBound, "the writers to handle the answered pings", throwOnTimeout: false);
        var sent = sim.Context.MessagesSent;
        await Waits.UntilAsync(() => service.Frames >= sent, SettleBound, "the sent frames to be handled", throwOnTimeout: false);
    }
}
