using System.Text;
using Pipeline.Vault.Io;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.State;
using Serilog;

namespace Pipeline.Exporter.Micro;

/// <summary>
/// One instrument's files of one kind: the OS writer lock (one writer per kind and instrument), the daily JSONL
/// files (a record goes to its event-time day), the last written sequence and the counters. On open the newest
/// day's tail tells where writing stopped: the last sequence (quotes, book), whether the book's last line was a
/// resync, and the recent keys (liquidations, derivatives); a malformed line found there is reported.
/// </summary>
public sealed class MicroKindWriter : IDisposable
{
    private readonly VaultLayout _vault;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly StateFile<MicroState> _state;
    private readonly DailyJsonlFiles _files;
    private WriterLock? _lock;
    private MicroState _base = new();

    public MicroKindWriter(MicroKind kind, string exchange, string instId, VaultLayout vault, TimeProvider time, MicroRecorderOptions options, ILogger log)
    {
        ArgumentNullException.ThrowIfNull(vault);
        ArgumentNullException.ThrowIfNull(options);
        Kind = kind;
        Exchange = exchange;
        InstId = instId;
        _vault = vault;
        _time = time;
        _log = log;
        _state = new StateFile<MicroState>(vault.MicroState(kind, exchange, instId));
        _files = new DailyJsonlFiles(day => vault.MicroDayJsonl(kind, exchange, instId, day), time, log);
        var window = (long)options.DedupWindow.TotalMilliseconds;
        Liquidations = new RecentKeys<(long, string, string, string)>(window, options.DedupCapacity);
        Derivatives = new RecentKeys<(long, string)>(window, options.DedupCapacity);
    }

    public MicroKind Kind { get; }

    public string Exchange { get; }

    public string InstId { get; }

    /// <summary>Highest sequence written (quotes, book); null before any.</summary>
    public long? LastSeq { get; set; }

    /// <summary>Latest event time written (ms), 0 before any line.</summary>
    public long WatermarkTs { get; private set; }

    /// <summary>Event time of the last line written (the resync line's time never goes below it).</summary>
    public long LastLineTs { get; private set; }

    /// <summary>The file holds at least one line of this kind.</summary>
    public bool HasLines { get; private set; }

    /// <summary>Book: the last line written is a resync (the book is unknown; another resync line would say nothing new).</summary>
    public bool LastWasResync { get; private set; }

    public RecentKeys<(long Ts, string Side, string Px, string Sz)> Liquidations { get; }

    public RecentKeys<(long Ts, string Channel)> Derivatives { get; }

    /// <summary>Lines written (this run plus earlier runs' state).</summary>
    public long Lines => _base.Lines + RunLines;

    public long RunLines { get; private set; }

    public long Duplicates { get; set; }

    public long Resyncs { get; set; }

    public long Quarantined { get; set; }

    /// <summary>
    /// Takes the lock and learns the tail. <paramref name="badLine"/> gets each malformed line (reason, bytes,
    /// file, offset); the torn last line of a crash is not one (the appender cuts it when the day is next written).
    /// </summary>
    public void Open(int tailBytes, Action<string, byte[], string, long> badLine)
    {
        ArgumentNullException.ThrowIfNull(badLine);
        _lock ??= WriterLock.Acquire(_vault, Exchange, InstId, "pipeline export (" + MicroKinds.Name(Kind) + ")", Kind);
        _base = _state.Read() ?? new MicroState();
        var days = VaultLayout.ListDays(_vault.MicroInstrumentDir(Kind, Exchange, InstId));
        // The newest day with a readable line; an empty or all-bad newest file falls back to the day before.
        for (var i = days.Count - 1; i >= 0 && i >= days.Count - 2; i--)
        {
            var path = _vault.MicroDayJsonl(Kind, Exchange, InstId, days[i]);
            var good = 0;
            foreach (var line in MicroTail.Read(path, tailBytes))
            {
                if (Learn(Encoding.UTF8.GetString(line.Bytes), out var error))
                {
                    good++;
                }
                else
                {
                    badLine($"malformed {MicroKinds.Name(Kind)} line in the vault: {error}", line.Bytes, path, line.Offset);
                }
            }

            if (good > 0)
            {
                break;
            }
        }

        _log.Information("{Exchange} {InstId} {Kind}: resuming after sequence {LastSeq}, last event time {LastTs}",
            Exchange, InstId, MicroKinds.Name(Kind), LastSeq, WatermarkTs);
    }

    /// <summary>Notes one line read back from the file; false with the reason when it is not a record of this kind.</summary>
    private bool Learn(string text, out string? error)
    {
        switch (Kind)
        {
            case MicroKind.Quotes:
                if (MicroLineReader.Quote(text, out error) is not { } quote)
                {
                    return false;
                }

                Noted(quote.Ts, quote.Seq, resync: false);
                return true;
            case MicroKind.Book:
                if (MicroLineReader.Book(text, out error) is not { } book)
                {
                    return false;
                }

                Noted(book.Ts, book.Seq, book.Type == BookRecordType.Resync);
                return true;
            case MicroKind.Liquidations:
                if (MicroLineReader.Liquidation(text, out error) is not { } liquidation)
                {
                    return false;
                }

                Liquidations.Add(liquidation.Ts, (liquidation.Ts, liquidation.Side, liquidation.Px, liquidation.Sz));
                Noted(liquidation.Ts, null, resync: false);
                return true;
            default:
                if (MicroLineReader.Derivatives(text, out error) is not { } derivatives)
                {
                    return false;
                }

                Derivatives.Add(derivatives.Ts, (derivatives.Ts, derivatives.Channel));
                Noted(derivatives.Ts, null, resync: false);
                return true;
        }
    }

    private void Noted(long ts, long? seq, bool resync)
    {
        HasLines = true;
        LastWasResync = resync;
        LastLineTs = ts;
        WatermarkTs = Math.Max(WatermarkTs, ts);
        if (seq is { } s)
        {
            LastSeq = s; // the last written, not the highest: a sequence may restart (OKX maintenance)
        }
    }

    /// <summary>The appender of <paramref name="ts"/>'s day; the caller writes one line and calls <see cref="Written"/>.</summary>
    public JsonlAppender For(long ts) => _files.For(ts);

    /// <summary>A line was ended in the appender of <paramref name="ts"/>'s day.</summary>
    public void Written(long ts, long? seq, bool resync)
    {
        RunLines++;
        if (resync)
        {
            Resyncs++;
        }

        Noted(ts, seq, resync);
    }

    public void SyncIfDue() => _files.SyncIfDue();

    /// <summary>Fsyncs the files, then writes the state that describes them.</summary>
    public void WriteState(string status = "running")
    {
        _files.SyncAll();
        _state.Write(new MicroState
        {
            LastSeq = LastSeq,
            WatermarkTs = WatermarkTs,
            Lines = Lines,
            Duplicates = _base.Duplicates + Duplicates,
            Resyncs = _base.Resyncs + Resyncs,
            Quarantined = _base.Quarantined + Quarantined,
            UpdatedAt = _time.GetUtcNow().ToUnixTimeMilliseconds(),
            Status = status,
        });
    }

    public void Dispose()
    {
        if (_lock is null)
        {
            return;
        }

        try
        {
            WriteState("stopped");
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

    public override string ToString() => $"{Exchange} {InstId} {MicroKinds.Name(Kind)}";
}
