using Pipeline.Exporter.Connection;
using Pipeline.Exporter.GapFill;
using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Recording;
using Pipeline.Exporter.Rest;
using Pipeline.Exporter.Venues;
using Pipeline.Vault.Layout;
using Serilog;

namespace Pipeline.Exporter;

/// <summary>
/// Records every public trade of the given instruments of one exchange into the vault until cancelled,
/// then drains the queues, fsyncs and writes the final state. Host it from a CLI command
/// (<c>pipeline export</c>) or a BackgroundService (<c>pipeline run</c>, <c>pipeline demo</c>):
/// <code>await new ExporterService(options, vault, TimeProvider.System).RunAsync(stoppingToken);</code>
/// </summary>
public sealed class ExporterService(ExporterOptions options, VaultLayout vault, TimeProvider time, ILogger? log = null)
{
    private readonly ILogger _log = (log ?? Log.Logger).ForContext("Exchange", options.Exchange);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _answeredPingsPosted;
    private IReadOnlyList<InstrumentRecorder> _recorders = [];

    public ExporterOptions Options { get; } = options;

    /// <summary>Completes when the instruments are resolved and the recorders are open.</summary>
    public Task Started => _started.Task;

    /// <summary>The microstructure recorder (after <see cref="Started"/>; null when <c>--data</c> names no such kind).</summary>
    public MicroRecorder? Micro { get; private set; }

    /// <summary>The recorders (after <see cref="Started"/>); read their counters for status.</summary>
    public IReadOnlyList<InstrumentRecorder> Recorders => _recorders;

    /// <summary>The instrument errors found at start (invalid metadata: those instruments are not recorded).</summary>
    public IReadOnlyList<string> InstrumentErrors { get; private set; } = [];

    /// <summary>Exchange error events seen (OKX event:error such as 60018).</summary>
    public long ErrorEvents => _context?.Errors ?? 0;

    public long Reconnects => _supervisor?.Reconnects ?? 0;

    /// <summary>The trades connection is open and subscribed (false while it is being opened or between reconnects).</summary>
    public bool Connected => _supervisor?.IsConnected ?? false;

    /// <summary>Frames quarantined by this exporter since it started (the quarantine files keep them).</summary>
    public long Quarantined => _quarantine?.Count ?? 0;

    /// <summary>The microstructure connections (after <see cref="Started"/>; empty when --data names no such kind).</summary>
    public IReadOnlyList<MicroFeed> MicroFeeds => _microFeeds;

    /// <summary>WebSocket frames received and handled.</summary>
    public long Frames => _supervisor?.Frames ?? 0;

    /// <summary>Local UTC ms of the current connection's last watchdog check (0 when none).</summary>
    public long WatchedUtc => _supervisor?.WatchedUtc ?? 0;

    /// <summary>The current connection waits for a ping's answer.</summary>
    public bool PingOutstanding => _supervisor?.PingOutstanding ?? false;

    /// <summary>A (re)connection is being opened and subscribed.</summary>
    public bool Opening => _supervisor?.Opening ?? false;

    /// <summary>Pings sent to the exchange.</summary>
    public long Pings => _supervisor?.Pings ?? 0;

    /// <summary>Pings the exchange answered (the liveness signal).</summary>
    public long Pongs => _supervisor?.Pongs ?? 0;

    /// <summary>Answered pings passed to the writers (each recorder counts those it handled: <see cref="InstrumentRecorder.AnsweredPings"/>).</summary>
    public long AnsweredPingsPosted => Interlocked.Read(ref _answeredPingsPosted);

    /// <summary>Trade silences reported on live connections (each once; none caused a reconnect).</summary>
    public int QuietPeriods => _supervisor?.QuietPeriods ?? 0;

    private FeedContext? _context;
    private FeedSupervisor? _supervisor;
    private Quarantine? _quarantine;
    private IReadOnlyList<MicroFeed> _microFeeds = [];

    public async Task RunAsync(CancellationToken token)
    {
        try
        {
            await RunCoreAsync(token);
        }
        catch (Exception ex)
        {
            _started.TrySetException(ex);
            throw;
        }
    }

    private async Task RunCoreAsync(CancellationToken token)
    {
        Options.Validate();
        // Few retries at start: with REST down, the meta snapshot lets recording begin quickly.
        var venue = VenueRegistry.For(Options.Exchange);
        using var rest = ResilientHttp.Rest(venue, time, _log, venue.Defaults.StartRetries, venue.Defaults.StartMaxRetryDelay);
        var catalog = new InstrumentCatalog(Options, vault, rest, time, _log);
        var snapshot = await catalog.LoadAsync(token);
        var specs = catalog.Resolve(snapshot, Options.InstIds, out var errors);
        InstrumentErrors = errors;
        foreach (var error in errors)
        {
            _log.Error("{Error}", error);
        }

        if (errors.Any(e => e.Contains("unknown instrument", StringComparison.Ordinal)) || specs.Count == 0)
        {
            throw new InstrumentsUnknownException(string.Join("; ", errors.Count > 0 ? errors : ["no instrument to record"]));
        }

        var instIds = specs.Select(s => s.InstId).ToList();
        var options = Options with { InstIds = instIds };
        using var quarantine = new Quarantine(vault, options.Exchange, time, _log);
        _quarantine = quarantine;
        var recorders = new List<InstrumentRecorder>();
        MicroRecorder? micro = null;
        IDisposable? ownedProtocol = null; // what the venue made for the protocol (Binance: its REST pacer)
        using var microRest = options.Data.Micro.Count > 0 ? ResilientHttp.Rest(venue, time, _log, venue.Defaults.FillRetries, options.MaxBackoff) : null;
        try
        {
            if (options.Data.Trades)
            {
                foreach (var spec in specs)
                {
                    var recorder = new InstrumentRecorder(spec, vault, options, time, _log, quarantine);
                    recorders.Add(recorder);
                    recorder.Open();
                }
            }

            _recorders = recorders;
            if (microRest is not null)
            {
                var protocol = venue.CreateMicroProtocol(options, microRest, time)
                    ?? throw new InvalidOperationException($"{options.Exchange} has no microstructure protocol for --data {options.Data}");
                ownedProtocol = protocol as IDisposable;
                micro = new MicroRecorder(protocol, instIds, options.Data.Micro, vault, time, options.Micro, quarantine, _log);
                Micro = micro;
                micro.Open();
                _log.Information("{Exchange}: recording {Data} of {Instruments}", options.Exchange, options.Data.ToString(), instIds);
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(token);
            var tasks = new List<Task>();
            if (options.Data.Trades)
            {
                tasks.Add(RecordAsync(venue, options, recorders, quarantine, catalog, stop.Token));
            }
            else
            {
                _started.TrySetResult();
            }

            if (micro is not null)
            {
                var connections = micro.Protocol.Connections(instIds, options.Data.Micro);
                var feeds = new List<MicroFeed>();
                for (var i = 0; i < connections.Count; i++)
                {
                    feeds.Add(new MicroFeed(connections[i], micro, instIds, options, time, _log) { CarriesBook = i == 0 });
                }

                _microFeeds = feeds;
                tasks.AddRange(feeds.Select(f => f.RunAsync(stop.Token)));
            }

            // One recorder failing stops the other: the cause reaches the caller, nothing runs half-recorded unseen.
            var first = await Task.WhenAny(tasks);
            if (first.IsFaulted)
            {
                await stop.CancelAsync();
            }

            await Task.WhenAll(tasks);
        }
        finally
        {
            foreach (var recorder in recorders)
            {
                try
                {
                    recorder.Dispose();
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // One instrument's failed disk must not keep the others from their final sync and state.
                    _log.Error("{InstId}: final sync and state failed: {Error}", recorder.InstId, ex.Message);
                }
            }

            micro?.Dispose();
            ownedProtocol?.Dispose();
        }

        _log.Information("{Exchange} exporter stopped; files synced and state written", options.Exchange);
    }

    private async Task RecordAsync(IVenue venue, ExporterOptions options, List<InstrumentRecorder> recorders, Quarantine quarantine,
        InstrumentCatalog catalog, CancellationToken token)
    {
        var pumps = recorders.Select(r => new InstrumentPump(r, options.QueueCapacity, _log, time)).ToList();
        var pumpTasks = pumps.Select(p => Task.Run(p.RunAsync, CancellationToken.None)).ToList();
        using var restForFills = ResilientHttp.Rest(venue, time, _log, venue.Defaults.FillRetries, options.MaxBackoff);
        using var pacer = new RequestPacer(options.RestInterval ?? venue.Defaults.RestInterval, time);
        var source = venue.CreateRestTrades(options, restForFills, pacer, time);
        var fillers = pumps.Select((p, i) => new GapFiller(source, p, i, _log, options.ReorderWindow, time)).ToList();
        _context = new FeedContext(options.InstIds, pumps, quarantine, _log);
        var protocol = venue.CreateProtocol(options, _context);
        _supervisor = new FeedSupervisor(protocol, options, time, _log)
        {
            Connected = first =>
            {
                foreach (var pump in pumps)
                {
                    if (!first)
                    {
                        pump.TryPost(TradeItem.Control(TradeItemKind.Reconnected));
                    }

                    pump.TryPost(TradeItem.Control(TradeItemKind.Connected));
                }

                if (protocol.SubscribedOnConnect)
                {
                    _context.MarkAllSubscribed();
                }

                // After every connect (and so on start after downtime): fetch what was missed.
                foreach (var filler in fillers)
                {
                    filler.RequestCatchUp();
                }
            },
            Disconnected = _ =>
            {
                foreach (var pump in pumps)
                {
                    pump.TryPost(TradeItem.Control(TradeItemKind.Disconnected));
                }
            },
            // On the receive loop, after every frame before the answer: the writers see it in order.
            Alive = sentUtc =>
            {
                Interlocked.Increment(ref _answeredPingsPosted);
                foreach (var pump in pumps)
                {
                    pump.TryPost(new TradeItem { Kind = TradeItemKind.Alive, Ts = sentUtc });
                }
            },
        };

        _started.TrySetResult();
        using var background = CancellationTokenSource.CreateLinkedTokenSource(token);
        // A write failure (disk full, permissions) stops only its instrument (InstrumentPump retries it);
        // a writer that still fails unexpectedly stops the exporter: producers must not block forever on a
        // queue nobody drains, and the cause must reach the caller.
        using var stopOnWriterFailure = CancellationTokenSource.CreateLinkedTokenSource(token);
        foreach (var pumpTask in pumpTasks)
        {
            _ = pumpTask.ContinueWith(_ => stopOnWriterFailure.Cancel(), CancellationToken.None,
                TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }

        var fillerTasks = fillers.Select(f => f.RunAsync(background.Token)).ToList();
        var ticker = TickAsync(pumps, quarantine, background.Token);
        var metadata = RefreshMetadataAsync(catalog, recorders, background.Token);
        try
        {
            await _supervisor.RunAsync(stopOnWriterFailure.Token);
        }
        finally
        {
            // Drain: stop the producers, then let each writer empty its queue, fsync and write state.
            await background.CancelAsync();
            await Task.WhenAll([.. fillerTasks, ticker, metadata]);
            foreach (var pump in pumps)
            {
                pump.Complete();
            }

            await Task.WhenAll(pumpTasks);
        }
    }

    private async Task TickAsync(List<InstrumentPump> pumps, Quarantine quarantine, CancellationToken token)
    {
        try
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250), time);
            while (await timer.WaitForNextTickAsync(token))
            {
                foreach (var pump in pumps)
                {
                    pump.TryPost(TradeItem.Control(TradeItemKind.Tick));
                }

                quarantine.SyncIfDue();
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task RefreshMetadataAsync(InstrumentCatalog catalog, List<InstrumentRecorder> recorders, CancellationToken token)
    {
        try
        {
            while (!token.IsCancellationRequested)
            {
                await Task.Delay(Options.MetadataRefresh, time, token);
                try
                {
                    var snapshot = await catalog.RefreshAsync(token);
                    foreach (var recorder in recorders)
                    {
                        var spec = snapshot.Instruments.FirstOrDefault(s => s.InstId == recorder.InstId);
                        var rejected = snapshot.Rejected.FirstOrDefault(r => r.InstId == recorder.InstId);
                        if (rejected is not null)
                        {
                            _log.Error("{InstId}: refreshed metadata is invalid ({Error}); keeping the previous contract fields", recorder.InstId, rejected.Error);
                        }
                        else if (spec is not null && spec.Validate() is null)
                        {
                            recorder.UpdateSpec(spec with { State = recorder.Spec.State });
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _log.Warning("Hourly instrument refresh failed: {Error}", ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
