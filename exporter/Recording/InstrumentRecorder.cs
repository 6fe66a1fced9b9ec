using Pipeline.Exporter.Instruments;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// The single writer of one instrument: dedup (<see cref="IdTracker"/>), day files, counters, the
/// state file and its watermark. Synchronous and single-threaded (driven by <see cref="InstrumentPump"/>
/// or directly by the bench); on open it rebuilds the dedup window from the state and the file tail.
/// </summary>
public sealed class InstrumentRecorder : IDisposable
{
    private static readonly TimeSpan StateInterval = TimeSpan.FromSeconds(1);
    private readonly VaultLayout _vault;
    private readonly ExporterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly IdTracker _ids = new();
    private readonly DailyJsonlFiles _files;
    private readonly StateFile<ExporterState> _state;
    private volatile TradeLineWriter _writer;
    private ExporterCounters _base = new();
    private long _trades;
    private long _duplicates;
    private long _gapFilled;
    private long _reconnects;
    private long _quarantined;
    private long _skippedIds;
    private long _watermark;
    private long _holeSince;
    private bool _fillOutstanding;
    private TimeSpan _fillRetryDelay;
    private long _lastState;
    private long _lastCounterLog;
    private long _tradesAtLastLog;
    private long _contiguousShared = -1;
    private int _pendingShared;
    private string _connection = "reconnecting";
    private TimeWatermark _byTime = new() { CatchUpPending = true }; // nothing caught up before the first connect

    public InstrumentRecorder(InstrumentSpec spec, VaultLayout vault, ExporterOptions options, TimeProvider time, ILogger? log = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _vault = vault;
        _options = options;
        _time = time;
        _log = (log ?? Log.Logger).ForContext(nameof(InstId), spec.InstId);
        _writer = new TradeLineWriter(spec);
        _files = new DailyJsonlFiles(day => vault.RawDayJsonl(spec.Exchange, spec.InstId, day), time, _log);
        _state = new StateFile<ExporterState>(vault.ExporterState(spec.Exchange, spec.InstId));
        _lastState = _lastCounterLog = time.GetTimestamp();
    }

    public InstrumentSpec Spec => _writer.Spec;

    public string InstId => _writer.Spec.InstId;

    /// <summary>
    /// Asked when an id hole must be filled from REST: (last contiguous id, first id above the hole or
    /// null for "up to now"). Called on the writer thread; the handler must not block.
    /// </summary>
    public Action<long, long?>? FillRequested { get; set; }

    /// <summary>Every id ≤ this is on disk (-1 before any baseline). Safe to read from other threads.</summary>
    public long ContiguousId => Interlocked.Read(ref _contiguousShared);

    public bool HasBaseline => _ids.HasBaseline;

    /// <summary>Ids written above a hole, as of the last tick (safe to read from other threads).</summary>
    public int PendingShared => Volatile.Read(ref _pendingShared);

    public long WatermarkTs => _watermark;

    public long Trades => _base.Trades + _trades;

    public long Duplicates => _base.DuplicatesDropped + _duplicates;

    public long GapFilled => _base.GapFilled + _gapFilled;

    public int PendingIds => _ids.PendingCount;

    /// <summary>Restores the last state and rebuilds the dedup window from the raw tail.</summary>
    public void Open()
    {
        var state = _state.Read();
        var entries = new List<RawTailScanner.IdEntry>();
        var days = _vault.RawDays(Spec.Exchange, InstId);
        long above = long.MinValue;
        if (state is { LastTradeId: { } lastId, LastTs: { } lastTs } && long.TryParse(lastId, out var contiguous))
        {
            _ids.Restore(contiguous, lastTs);
            above = contiguous;
            _watermark = state.WatermarkTs;
            _base = state.Counters;
            // Ids above the contiguous one have event times at or after its time; scan from its day (and
            // the previous day near midnight) to the newest file.
            var from = TradeTime.Day(lastTs - (10 * TradeTime.MsPerMinute));
            days = [.. days.Where(d => d >= from)];
        }
        else
        {
            if (state is not null)
            {
                _base = state.Counters;
            }

            days = [.. days.TakeLast(2)];
        }

        var lines = 0;
        foreach (var day in days)
        {
            lines += RawTailScanner.Scan(_vault.RawDayJsonl(Spec.Exchange, InstId, day), above, entries);
        }

        entries.Sort((a, b) => a.First.CompareTo(b.First));
        foreach (var entry in entries)
        {
            if (!_ids.IsDuplicate(entry.First, entry.Last))
            {
                _ids.Add(entry.First, entry.Last, entry.Ts);
            }
        }

        if (_ids.PendingCount > 0)
        {
            _holeSince = _time.GetTimestamp();
        }

        _watermark = Math.Max(_watermark, _ids.ContiguousTs);
        Interlocked.Exchange(ref _contiguousShared, _ids.HasBaseline ? _ids.Contiguous : -1);
        Volatile.Write(ref _pendingShared, _ids.PendingCount);
        _log.Information("{Exchange} {InstId}: resuming after id {Contiguous} ({Pending} written above a hole; scanned {Lines} lines of {Days} day files)",
            Spec.Exchange, InstId, _ids.HasBaseline ? _ids.Contiguous : null, _ids.PendingCount, lines, days.Count);
    }

    /// <summary>Uses new contract fields for the lines written from now on (hourly metadata refresh).</summary>
    public void UpdateSpec(InstrumentSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec != _writer.Spec)
        {
            _log.Warning("{InstId}: contract metadata changed from {Old} to {New}", InstId, _writer.Spec, spec);
            _writer = new TradeLineWriter(spec);
        }
    }

    /// <summary>Writes a trade unless its id was written before.</summary>
    public void Accept(in TradeItem item)
    {
        switch (item.Kind)
        {
            case TradeItemKind.Trade:
                AcceptTrade(item);
                break;
            case TradeItemKind.Tick:
                Tick();
                break;
            case TradeItemKind.FillDone:
                FillDone(item.FirstId, item.LastId);
                break;
            case TradeItemKind.Reconnected:
                _reconnects++;
                _connection = "reconnecting";
                break;
            case TradeItemKind.Connected:
                _connection = "connected";
                _byTime.CatchUpPending = true;
                break;
            case TradeItemKind.Disconnected:
                _connection = "reconnecting";
                _byTime.Subscribed = false;
                _byTime.CatchUpPending = true;
                break;
            case TradeItemKind.Subscribed:
                _byTime.Subscribed = true;
                break;
            case TradeItemKind.CatchUpDone:
                _byTime.CatchUpPending = item.FirstId == 0;
                // A failed catch-up is asked again later (with no baseline there is nothing to ask for).
                _byTime.RetryAt = item.FirstId == 0 && _ids.HasBaseline ? _time.GetTimestamp() : 0;
                break;
            case TradeItemKind.Alive:
                AdvanceWatermarkByTime(item.Ts);
                break;
            case TradeItemKind.Quarantined:
                _quarantined++;
                break;
            default:
                break;
        }
    }

    private void AcceptTrade(in TradeItem item)
    {
        if (item.Src == TradeSource.Ws)
        {
            _byTime.Observe(item.Ts, item.RecvTs);
        }

        var first = item.FirstCoveredId;
        if (_ids.IsDuplicate(first, item.Id))
        {
            _duplicates++;
            return;
        }

        var appender = _files.For(item.Ts);
        _writer.Write(appender, item);
        appender.EndLine();
        var hadHole = _ids.PendingCount > 0;
        _ids.Add(first, item.Id, item.Ts);
        _trades++;
        if (item.Src == TradeSource.Rest)
        {
            _gapFilled++;
        }

        if (_ids.PendingCount == 0)
        {
            _holeSince = 0;
        }
        else if (!hadHole)
        {
            _holeSince = _time.GetTimestamp();
        }
    }

    /// <summary>Watermark moves made by time alone (quiet stretches), for tests and status.</summary>
    public long TimeAdvances => _byTime.Advances;

    /// <summary>The current local-to-exchange time offset (ms; null before the first live trade).</summary>
    public long? ExchangeOffset => _byTime.Offset;

    /// <summary>
    /// The connection answered a ping sent at local UTC <paramref name="pingSentUtc"/>, so every trade it sent
    /// before has been handled here. Mapped to exchange time with the smallest recent (ts − recvTs) of this
    /// instrument (clock skew less the worst delivery delay seen), that instant is a watermark: a quiet
    /// instrument's minutes become final although no trade comes. Never while anything may still be missing:
    /// an id hole or its fill, a lost connection, the REST catch-up after a connect, an unacknowledged
    /// subscription, or no trade (no baseline, no offset) yet on this run.
    /// </summary>
    private void AdvanceWatermarkByTime(long pingSentUtc)
    {
        if (!_byTime.Subscribed || _byTime.CatchUpPending || _fillOutstanding || _ids.PendingCount > 0 || !_ids.HasBaseline ||
            _byTime.Offset is not { } offset)
        {
            return;
        }

        var proven = pingSentUtc + offset;
        if (proven > _watermark)
        {
            _watermark = proven;
            _byTime.Advances++;
        }

        if (!_byTime.QuietReported && pingSentUtc - _byTime.LastRecvTs > _options.EffectiveSilenceTimeout.TotalMilliseconds)
        {
            _byTime.QuietReported = true;
            _log.Information("{InstId}: no trade for {Seconds:F0} s while the connection answers pings: a quiet market, watermark advancing with time",
                InstId, (pingSentUtc - _byTime.LastRecvTs) / 1000.0);
        }
    }

    /// <summary>Periodic work: syncs, state (≥ every second), hole checks, the 60-s counter log.</summary>
    public void Tick()
    {
        Interlocked.Exchange(ref _contiguousShared, _ids.HasBaseline ? _ids.Contiguous : -1);
        Volatile.Write(ref _pendingShared, _ids.PendingCount);
        if (_ids.PendingCount > 0 && !_fillOutstanding && _holeSince != 0 &&
            _time.GetElapsedTime(_holeSince) >= _options.ReorderWindow + _fillRetryDelay && FillRequested is { } request)
        {
            _fillOutstanding = true;
            _log.Information("{InstId}: ids {From}..{To} missing for {Window}; filling from REST",
                InstId, _ids.Contiguous + 1, _ids.HoleEnd - 1, _options.ReorderWindow);
            request(_ids.Contiguous, _ids.HoleEnd);
        }

        if (_byTime.RetryAt != 0 && _time.GetElapsedTime(_byTime.RetryAt) >= TimeSpan.FromSeconds(5) && FillRequested is { } retry)
        {
            _byTime.RetryAt = 0;
            retry(_ids.Contiguous, null);
        }

        if (_time.GetElapsedTime(_lastState) >= StateInterval)
        {
            WriteState();
        }
        else
        {
            _files.SyncIfDue();
        }

        if (_time.GetElapsedTime(_lastCounterLog) >= _options.CounterLogInterval)
        {
            var seconds = _time.GetElapsedTime(_lastCounterLog).TotalSeconds;
            _log.Information("{Exchange} {InstId}: {Rate:F1} trades/s, {Trades} trades, {Duplicates} duplicates dropped, {GapFilled} gap-filled, {Reconnects} reconnects, {Quarantined} quarantined, watermark {Watermark}",
                Spec.Exchange, InstId, (Trades - _tradesAtLastLog) / seconds, Trades, Duplicates, GapFilled,
                _base.Reconnects + _reconnects, _base.Quarantined + _quarantined,
                _watermark > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(_watermark) : null);
            _tradesAtLastLog = Trades;
            _lastCounterLog = _time.GetTimestamp();
        }
    }

    /// <summary>Syncs every file, then writes the state that refers to them.</summary>
    public void WriteState(string? connection = null)
    {
        _files.SyncAll();
        _watermark = Math.Max(_watermark, _ids.ContiguousTs);
        Interlocked.Exchange(ref _contiguousShared, _ids.HasBaseline ? _ids.Contiguous : -1);
        _state.Write(new ExporterState
        {
            Exchange = Spec.Exchange,
            InstId = InstId,
            LastTradeId = _ids.HasBaseline ? _ids.Contiguous.ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            LastTs = _ids.HasBaseline ? _ids.ContiguousTs : null,
            WatermarkTs = _watermark,
            Connection = connection ?? _connection,
            Counters = new ExporterCounters
            {
                Trades = Trades,
                DuplicatesDropped = Duplicates,
                GapFilled = GapFilled,
                Reconnects = _base.Reconnects + _reconnects,
                Quarantined = _base.Quarantined + _quarantined,
            },
            UpdatedAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        _lastState = _time.GetTimestamp();
    }

    private void FillDone(long from, long to)
    {
        _fillOutstanding = false;
        if (to <= 0)
        {
            // The fill failed: ask again later, backing off up to a minute.
            _fillRetryDelay = TimeSpan.FromMilliseconds(Math.Clamp(_fillRetryDelay.TotalMilliseconds * 2, 1000, 60_000));
            _holeSince = _ids.PendingCount > 0 ? _time.GetTimestamp() : 0;
            return;
        }

        _fillRetryDelay = TimeSpan.Zero;
        if (!_ids.HasBaseline || _ids.Contiguous >= to - 1 || _ids.Contiguous < from)
        {
            return;
        }

        // REST was asked for every id in (from, to) and did not return these: they do not exist there.
        var firstMissing = _ids.Contiguous + 1;
        var skipped = _ids.SkipThrough(to - 1);
        _skippedIds += skipped;
        _log.Warning("{InstId}: ids {From}..{To} are not in the REST history either; {Skipped} ids treated as non-existent",
            InstId, firstMissing, to - 1, skipped);
        _holeSince = _ids.PendingCount > 0 ? _time.GetTimestamp() : 0;
    }

    public void Dispose()
    {
        try
        {
            WriteState("stopped");
        }
        finally
        {
            _files.Dispose();
        }
    }
}
