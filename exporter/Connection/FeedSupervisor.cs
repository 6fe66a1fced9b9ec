using Serilog;

namespace Pipeline.Exporter.Connection;

/// <summary>
/// Keeps one feed connected: reconnects with exponential backoff and jitter (capped), resubscribes,
/// and on a handover request (OKX 64008 notice, or the Binance 24 h limit) opens the new connection
/// first and drops the old one only when the new one is subscribed. Reports connects and disconnects
/// so the recorders count reconnects and REST fills the hole left by the outage.
/// </summary>
public sealed class FeedSupervisor(IFeedProtocol protocol, ExporterOptions options, TimeProvider time, ILogger? log = null)
{
    private readonly ILogger _log = log ?? Log.ForContext<FeedSupervisor>();
    private bool _opening;

    /// <summary>Called after every successful (re)subscription; first = the very first one.</summary>
    public Action<bool>? Connected { get; set; }

    /// <summary>Called when a connection is lost (not for a handover).</summary>
    public Action<string>? Disconnected { get; set; }

    /// <summary>
    /// Called on a receive loop when a subscribed connection answers a ping, with the local UTC time (ms) the
    /// ping was sent: everything the server sent before its answer has been handed to the instruments.
    /// </summary>
    public Action<long>? Alive { get; set; }

    public long Reconnects { get; private set; }

    /// <summary>A subscribed connection is open (read by health checks on another thread).</summary>
    public bool IsConnected => _current is not null;

    /// <summary>Frames received and handled on the connections so far.</summary>
    public long Frames => Interlocked.Read(ref _framesBefore) + (_current?.Frames ?? 0);

    /// <summary>Local UTC ms of the current connection's last watchdog check (0 when none).</summary>
    public long WatchedUtc => _current?.WatchedUtc ?? 0;

    /// <summary>The current connection waits for a ping's answer.</summary>
    public bool PingOutstanding => _current?.PingOutstanding ?? false;

    /// <summary>A connection is being opened and subscribed (real network I/O, not a backoff wait).</summary>
    public bool Opening => Volatile.Read(ref _opening);

    /// <summary>Pings sent on the connections so far.</summary>
    public long Pings => Interlocked.Read(ref _pingsBefore) + (_current?.Pings ?? 0);

    /// <summary>Pings answered by the connections so far.</summary>
    public long Pongs => Interlocked.Read(ref _pongsBefore) + (_current?.Pongs ?? 0);

    /// <summary>Trade silences reported (each once), over all connections.</summary>
    public int QuietPeriods => _quietBefore + (_current?.QuietPeriods ?? 0);

    private volatile WsSession? _current;
    private long _pongsBefore;
    private long _pingsBefore;
    private long _framesBefore;
    private int _quietBefore;

    public async Task RunAsync(CancellationToken token)
    {
        var first = true;
        var flaps = 0;
        WsSession? session = null;
        try
        {
            while (!token.IsCancellationRequested)
            {
                session ??= await OpenAsync(token);
                var since = time.GetTimestamp();
                Connected?.Invoke(first);
                first = false;
                var completion = session.Completion;
                var finished = await Task.WhenAny(completion, session.HandoverRequested);
                if (finished != completion)
                {
                    _log.Information("{Exchange}: handover requested; opening a new connection before closing the old one", protocol.Exchange);
                    var next = await OpenAsync(token);
                    session.Stop("handover to a new connection");
                    await session.Completion;
                    Retire(session);
                    session = next;
                    _current = next;
                    continue;
                }

                var end = await completion;
                Retire(session);
                session = null;
                if (token.IsCancellationRequested)
                {
                    break;
                }

                Reconnects++;
                _log.Warning("{Exchange}: connection to {Url} ended ({Reason}); reconnecting", protocol.Exchange, protocol.Url, end.Reason);
                Disconnected?.Invoke(end.Reason);
                // A connection that dies right after subscribing must not turn into a reconnect storm.
                flaps = time.GetElapsedTime(since) < TimeSpan.FromSeconds(10) ? flaps + 1 : 0;
                if (flaps > 1)
                {
                    await Task.Delay(Backoff(options, flaps - 2), time, token);
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        finally
        {
            if (session is not null)
            {
                session.Stop("shutdown");
                await session.Completion;
                Retire(session);
            }
        }
    }

    private void Retire(WsSession session)
    {
        Interlocked.Add(ref _pingsBefore, session.Pings);
        Interlocked.Add(ref _framesBefore, session.Frames);
        Interlocked.Add(ref _pongsBefore, session.Pongs);
        _quietBefore += session.QuietPeriods;
        if (_current == session)
        {
            _current = null;
        }

        session.Dispose();
    }

    /// <summary>Connects and subscribes, retrying with backoff until it works or we are cancelled.</summary>
    private async Task<WsSession> OpenAsync(CancellationToken token)
    {
        for (var attempt = 0; ; attempt++)
        {
            Volatile.Write(ref _opening, true);
            var session = new WsSession(protocol, options, time, _log, token) { PingAnswered = sentUtc => Alive?.Invoke(sentUtc) };
            var done = await Task.WhenAny(session.Subscribed, session.Completion);
            Volatile.Write(ref _opening, false);
            if (done == session.Subscribed)
            {
                _current ??= session;
                return session;
            }

            var end = await session.Completion;
            session.Dispose();
            token.ThrowIfCancellationRequested();
            var delay = Backoff(options, attempt);
            _log.Warning("{Exchange}: could not subscribe at {Url} ({Reason}); retry {Attempt} in {Delay:F1} s",
                protocol.Exchange, protocol.Url, end.Reason, attempt + 1, delay.TotalSeconds);
            await Task.Delay(delay, time, token);
        }
    }

    /// <summary>Exponential backoff with "equal jitter": half fixed, half random, capped (every reconnecting feed's rule).</summary>
    public static TimeSpan Backoff(ExporterOptions options, int attempt)
    {
        ArgumentNullException.ThrowIfNull(options);
        var ceiling = Math.Min(options.MaxBackoff.TotalMilliseconds, options.InitialBackoff.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
#pragma warning disable CA5394 // jitter, not security
        var jittered = (ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(jittered);
    }
}
