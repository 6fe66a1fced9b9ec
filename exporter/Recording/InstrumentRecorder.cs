using System.Buffers;
using Pipeline.Exporter.Instruments;
using Pipeline.Vault.Io;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Exporter.Recording;

/// <summary>
/// The single writer of one instrument: dedup (<see cref="IdTracker"/>), day files, counters, the
/// state file and its watermark. Synchronous and single-threaded (driven by <see cref="InstrumentPump"/>
/// or directly by the bench); on open it takes the instrument's <see cref="WriterLock"/> (one writer per
/// raw file set) and rebuilds the dedup window from the file tail, which wins over a state that disagrees.
/// A trade with an implausible event time goes to the quarantine, never to a day file or the watermark.
/// </summary>
public sealed class InstrumentRecorder : IDisposable
{
    private readonly VaultLayout _vault;
    private readonly ExporterOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private IdTracker _ids = new();
    private DailyJsonlFiles _files;
    private readonly StateFile<ExporterState> _state;
    private readonly Quarantine? _quarantine;
    private readonly KnownGapBook _gaps = new();
    private readonly long _maxSkewMs;
    private WriterLock? _lock;
    private bool _resumed;
    private long _disconnectedAt;
    private volatile TradeLineWriter _writer;
    private ExporterCounters _base = new();
    private long _trades;
    private long _duplicates;
    private long _answeredPings;
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

    public InstrumentRecorder(InstrumentSpec spec, VaultLayout vault, ExporterOptions options, TimeProvider time, ILogger? log = null,
        Quarantine? quarantine = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _vault = vault;
        _options = options;
        _time = time;
        _log = (log ?? Log.Logger).ForContext(nameof(InstId), spec.InstId);
        _writer = new TradeLineWriter(spec);
        _files = NewFiles();
        _state = new StateFile<ExporterState>(vault.ExporterState(spec.Exchange, spec.InstId));
        _quarantine = quarantine;
        _maxSkewMs = (long)options.MaxEventTimeSkew.TotalMilliseconds;
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

    /// <summary>The holes not proven filled (written to the state as KnownGaps).</summary>
    public IReadOnlyList<KnownGap> KnownGaps => _gaps.Gaps;

    /// <summary>Trades refused for an implausible event time (this run).</summary>
    public long ImplausibleQuarantined { get; private set; }

    /// <summary>
    /// Takes the writer lock, restores the counters and known gaps of the last state and rebuilds the dedup
    /// window from the raw tail. The file is the truth: a state the tail contradicts (<see cref="RecorderResume"/>)
    /// is logged with both values, corrected from the tail and rewritten; so is a watermark in the future.
    /// </summary>
    public void Open()
    {
        _lock ??= WriterLock.Acquire(_vault, Spec.Exchange, InstId, "exporter");
        var state = _state.Read();
        if (state is not null)
        {
            _base = state.Counters;
            _gaps.Restore(state.KnownGaps);
        }

        var resume = RecorderResume.Find(_vault, Spec, state, _time.GetUtcNow().ToUnixTimeMilliseconds(), _log);
        if (resume.Trusted is { } trusted)
        {
            _ids.Restore(trusted.Id, trusted.Ts);
            _watermark = state!.WatermarkTs;
        }

        foreach (var entry in resume.Entries)
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

        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (_watermark > now + _maxSkewMs)
        {
            _log.Warning("{Exchange} {InstId}: state watermark {Watermark} lies in the future (now {Now}); reset to the last contiguous trade",
                Spec.Exchange, InstId, EventTimeCheck.Describe(_watermark), EventTimeCheck.Describe(now));
            _watermark = 0;
            resume = resume with { Corrected = true };
        }

        _watermark = Math.Max(_watermark, _ids.ContiguousTs);
        Interlocked.Exchange(ref _contiguousShared, _ids.HasBaseline ? _ids.Contiguous : -1);
        Volatile.Write(ref _pendingShared, _ids.PendingCount);
        _log.Information("{Exchange} {InstId}: resuming after id {Contiguous} ({Pending} written above a hole; scanned {Lines} lines of {Days} day files)",
            Spec.Exchange, InstId, _ids.HasBaseline ? _ids.Contiguous : null, _ids.PendingCount, resume.Lines, resume.Days);
        if (resume.Corrected)
        {
            WriteState(); // the corrected state, so nothing else reads the wrong one
        }

        _resumed = true;
    }

    /// <summary>
    /// After a write failure (disk full, a directory that cannot be written): drops every open file and the
    /// in-memory window (buffered lines may be lost, so only the disk counts) and resumes exactly as a
    /// restart would, then asks REST for everything after the last id on disk.
    /// </summary>
    public void Reopen()
    {
        _resumed = false; // until Open succeeds, the memory says nothing true about the disk: no state write
        var files = _files;
        _files = NewFiles();
        try
        {
            files.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _log.Debug("{InstId}: closing the failed files: {Error}", InstId, ex.Message);
        }

        _ids = new IdTracker();
        _holeSince = 0;
        _fillOutstanding = false;
        _fillRetryDelay = TimeSpan.Zero;
        _watermark = 0;
        _disconnectedAt = 0;
        _trades = _duplicates = _gapFilled = _reconnects = _quarantined = 0;
        _tradesAtLastLog = 0;
        Open();
        if (_ids.HasBaseline && _ids.PendingCount == 0)
        {
            FillRequested?.Invoke(_ids.Contiguous, null);
        }
    }

    private DailyJsonlFiles NewFiles() =>
        new(day => _vault.RawDayJsonl(Spec.Exchange, InstId, day), _time, _log);

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
                OutageWithoutBaseline();
                _byTime.CatchUpPending = true;
                break;
            case TradeItemKind.Disconnected:
                _connection = "reconnecting";
                _disconnectedAt = _time.GetUtcNow().ToUnixTimeMilliseconds();
                _byTime.Subscribed = false;
                _byTime.CatchUpPending = true;
                break;
            case TradeItemKind.Subscribed:
                _byTime.Subscribed = true;
                break;
            case TradeItemKind.Baseline:
                SetBaseline(item.FirstId, item.LastId);
                break;
            case TradeItemKind.CatchUpFailed:
                CatchUpFailed();
                // Retried by the gap filler (watermark waits), or final: then the hole is a known gap in state.
                _byTime.CatchUpPending = item.FirstId == 1;
                break;
            case TradeItemKind.CatchUpDone:
                _gaps.CloseOpenEnded();
                _byTime.CatchUpPending = false;
                break;
            case TradeItemKind.Alive:
                AdvanceWatermarkByTime(item.Ts);
                Interlocked.Increment(ref _answeredPings);
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
        if (EventTimeCheck.Problem(item, _maxSkewMs) is { } problem)
        {
            QuarantineTrade(item, problem);
            return;
        }

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

    /// <summary>Answered pings this writer has handled (a test on a fake clock waits for them before moving it on).</summary>
    public long AnsweredPings => Interlocked.Read(ref _answeredPings);

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
        if (_gaps.Count > 0 && _ids.HasBaseline && _gaps.CloseThrough(_ids.Contiguous) > 0)
        {
            _log.Information("{Exchange} {InstId}: known gap filled (every id up to {Contiguous} is on disk)", Spec.Exchange, InstId, _ids.Contiguous);
        }

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

        if (_time.GetElapsedTime(_lastState) >= _options.StateInterval)
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
            KnownGaps = [.. _gaps.Gaps],
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
            // The fill failed: ask again later, backing off up to a minute; meanwhile the hole is a known gap.
            if (_ids.HoleEnd is { } holeEnd)
            {
                AddGap(KnownGapBook.Text(_ids.Contiguous), KnownGapBook.Text(holeEnd), _ids.ContiguousTs, _ids.PendingTs(holeEnd),
                    "REST fill of the id hole failed; retrying");
            }

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

    private void QuarantineTrade(in TradeItem item, string reason)
    {
        _quarantined++;
        ImplausibleQuarantined++;
        if (_quarantine is null)
        {
            _log.Warning("{Exchange} {InstId}: trade {TradeId} refused: {Reason}", Spec.Exchange, InstId, item.Id, reason);
            return;
        }

        // The trade as a raw line, so the quarantine shows exactly what was refused (rare: allocation is fine).
        var line = new ArrayBufferWriter<byte>(512);
        _writer.Write(line, item);
        _quarantine.Add(reason, line.WrittenSpan[..^1], InstId);
    }

    /// <summary>REST's newest id at subscribe time: ids above it are ours to record (it itself is fetched as the hole below the next one).</summary>
    private void SetBaseline(long latestId, long latestTs)
    {
        if (_ids.HasBaseline || latestId <= 0)
        {
            return;
        }

        _ids.Restore(latestId - 1, Math.Min(latestTs, _time.GetUtcNow().ToUnixTimeMilliseconds()));
        Interlocked.Exchange(ref _contiguousShared, _ids.Contiguous);
        _log.Information("{Exchange} {InstId}: baseline at subscribe: REST's newest trade is {TradeId}; every later id is recorded or filled",
            Spec.Exchange, InstId, latestId);
    }

    /// <summary>A reconnect before any id was known (no REST baseline): what traded during the outage cannot be proven.</summary>
    private void OutageWithoutBaseline()
    {
        if (_ids.HasBaseline || _disconnectedAt == 0)
        {
            return;
        }

        AddGap(null, null, _disconnectedAt, _time.GetUtcNow().ToUnixTimeMilliseconds(),
            "outage before the first trade id was known (no REST baseline): trades in it may be missing");
        _disconnectedAt = 0;
    }

    private void CatchUpFailed()
    {
        if (!_ids.HasBaseline)
        {
            return;
        }

        AddGap(KnownGapBook.Text(_ids.Contiguous), null, _ids.ContiguousTs, _time.GetUtcNow().ToUnixTimeMilliseconds(),
            "REST catch-up after a (re)connect failed; retrying");
    }

    private void AddGap(string? after, string? before, long fromTs, long toTs, string reason)
    {
        _gaps.Add(new KnownGap
        {
            AfterTradeId = after,
            BeforeTradeId = before,
            FromTs = fromTs,
            ToTs = toTs,
            Reason = reason,
            DetectedAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
        });
        _log.Warning("{Exchange} {InstId}: known gap after id {After} before id {Before} ({From} .. {To}): {Reason}",
            Spec.Exchange, InstId, after, before, EventTimeCheck.Describe(fromTs), EventTimeCheck.Describe(toTs), reason);
    }

    public void Dispose()
    {
        if (_lock is null)
        {
            return; // never opened (e.g. another writer holds the lock): its state is not ours to write
        }

        try
        {
            if (_resumed)
            {
                WriteState("stopped");
            }
        }
        finally
        {
            try
            {
                _files.Dispose();
            }
            finally
            {
                _lock.Dispose();
                _lock = null;
            }
        }
    }
}
