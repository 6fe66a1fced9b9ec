using System.Buffers;
using System.Globalization;
using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Io;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Exporter.Backfill;

/// <summary>
/// Merges fetched trades into a closed raw day: one line per (exchange, instId, tradeId). Existing
/// complete lines are kept byte for byte (an existing line wins over a fetched one); new trades are
/// written with the exporter's own <see cref="TradeLineWriter"/>; the day is written sorted by
/// (ts, tradeId) to day.jsonl.tmp, fsynced and renamed over the old file (then the directory is
/// fsynced), so a crash leaves the old or the new day, never a mix. Lines that do not parse are kept
/// at the end; a torn tail (no newline) is dropped and logged, as the live writer does.
/// The caller holds the instrument's <see cref="WriterLock"/> (one writer per raw file set: no exporter
/// appends to a day while it is replaced); the old file is also held with an exclusive lock throughout.
/// A fetched trade whose event time is not in the day (a corrupt archive row, a year-2100 ts) goes to the
/// quarantine with the reason, never into the file.
/// </summary>
public sealed class DayMerger(VaultLayout vault, ILogger log, Quarantine? quarantine = null)
{
    /// <param name="Existing">complete parsable lines the day held</param>
    /// <param name="Added">new lines written</param>
    /// <param name="AlreadyThere">fetched trades the day already held (or fetched twice)</param>
    /// <param name="Unparsable">complete lines kept that do not parse as trades</param>
    /// <param name="TornBytes">bytes of an incomplete last line dropped</param>
    /// <param name="Quarantined">fetched trades whose event time is not in the day</param>
    public sealed record Result(long Existing, long Added, long AlreadyThere, long Unparsable, long TornBytes, long Quarantined = 0);

    private readonly record struct Entry(long Ts, long Id, long Offset, int Length, int Fetched);

    public Result Merge(WriterLock writer, InstrumentSpec spec, DateOnly day, IReadOnlyList<TradeItem> trades)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(trades);
        if (writer.Path != WriterLock.LockPath(vault, spec.Exchange, spec.InstId))
        {
            throw new ArgumentException($"the writer lock {writer.Path} is not {spec.Exchange}/{spec.InstId}'s", nameof(writer));
        }

        var path = vault.RawDayJsonl(spec.Exchange, spec.InstId, day);
        if (File.Exists(vault.RawDayParquet(spec.Exchange, spec.InstId, day)))
        {
            throw new BackfillDayException($"{day:yyyy-MM-dd} is compacted to Parquet; backfill leaves compacted days alone");
        }

        DurableFile.EnsureParentDirectory(path);
        FileStream? old = null;
        try
        {
            if (File.Exists(path))
            {
                try
                {
                    old = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.None, 1);
                }
                catch (IOException ex)
                {
                    throw new BackfillDayException($"{path} is open by another writer (a running exporter?); try again later", ex);
                }
            }

            return MergeLocked(spec, day, trades, path, old);
        }
        finally
        {
            old?.Dispose();
        }
    }

    private Result MergeLocked(InstrumentSpec spec, DateOnly day, IReadOnlyList<TradeItem> trades, string path, FileStream? old)
    {
        var entries = new List<Entry>(trades.Count + 1024);
        var seen = new HashSet<long>();
        var unparsable = new List<Entry>();
        long tornBytes = 0;
        if (old is not null)
        {
            tornBytes = IndexExisting(old, entries, seen, unparsable);
        }

        var existing = entries.Count;
        long already = 0;
        long quarantined = 0;
        var dayStart = TradeTime.DayStartMs(day);
        TradeLineWriter? refused = null;
        for (var i = 0; i < trades.Count; i++)
        {
            var trade = trades[i];
            if (trade.Ts < dayStart || trade.Ts >= dayStart + TradeTime.MsPerDay)
            {
                var reason = string.Create(CultureInfo.InvariantCulture,
                    $"backfill of {day:yyyy-MM-dd}: event time {trade.Ts} ({EventTimeCheck.Describe(trade.Ts)}) is not in the day");
                if (quarantine is null)
                {
                    throw new InvalidDataException($"trade {trade.Id}: {reason}");
                }

                var text = new ArrayBufferWriter<byte>(512);
                (refused ??= new TradeLineWriter(spec)).Write(text, trade);
                quarantine.Add(reason, text.WrittenSpan[..^1], spec.InstId);
                quarantined++;
                continue;
            }

            if (!seen.Add(trade.Id))
            {
                already++;
                continue;
            }

            entries.Add(new Entry(trade.Ts, trade.Id, 0, 0, i));
        }

        var added = entries.Count - existing;
        if (added == 0 && tornBytes == 0)
        {
            return new Result(existing, 0, already, unparsable.Count, 0, quarantined); // nothing to change: leave the file alone
        }

        entries.Sort(static (a, b) => a.Ts != b.Ts ? a.Ts.CompareTo(b.Ts) : a.Id.CompareTo(b.Id));
        entries.AddRange(unparsable);
        var temp = path + ".tmp";
        var writer = new TradeLineWriter(spec);
        var buffer = new ArrayBufferWriter<byte>(1 << 20);
        var line = new byte[4096];
        using (var output = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None, 1))
        {
            foreach (var entry in entries)
            {
                if (entry.Fetched >= 0)
                {
                    writer.Write(buffer, trades[entry.Fetched]);
                }
                else
                {
                    if (line.Length < entry.Length)
                    {
                        line = new byte[entry.Length * 2];
                    }

                    var span = line.AsSpan(0, entry.Length);
                    RandomAccess.Read(old!.SafeFileHandle, span, entry.Offset);
                    buffer.Write(span);
                }

                if (buffer.WrittenCount > (1 << 20) - 8192)
                {
                    output.Write(buffer.WrittenSpan);
                    buffer.ResetWrittenCount();
                }
            }

            output.Write(buffer.WrittenSpan);
            output.Flush(true);
        }

        File.Move(temp, path, overwrite: true);
        DurableFile.SyncDirectory(Path.GetDirectoryName(path)!);
        if (tornBytes > 0)
        {
            log.Warning("{Path}: dropped a torn last line of {Bytes} bytes (no newline)", path, tornBytes);
        }

        return new Result(existing, added, already, unparsable.Count, tornBytes, quarantined);
    }

    /// <summary>Indexes the complete lines of the locked old file (through its own handle); returns the torn tail length.</summary>
    private static long IndexExisting(FileStream old, List<Entry> entries, HashSet<long> seen, List<Entry> unparsable)
    {
        var parser = new RawTradeParser();
        var handle = old.SafeFileHandle;
        var buffer = new byte[1 << 20];
        long bufferStart = 0;
        var length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2); // a line longer than the buffer
            }

            var n = RandomAccess.Read(handle, buffer.AsSpan(length), bufferStart + length);
            if (n == 0)
            {
                break;
            }

            length += n;
            var start = 0;
            int newline;
            while ((newline = buffer.AsSpan(start, length - start).IndexOf((byte)'\n')) >= 0)
            {
                var line = buffer.AsSpan(start, newline);
                var offset = bufferStart + start;
                if (parser.TryParse(line, out var trade, out _)
                    && long.TryParse(trade!.TradeId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    // A duplicate already in the file stays (backfill does not delete lines); only fetched trades are deduplicated.
                    seen.Add(id);
                    entries.Add(new Entry(trade.Ts, id, offset, newline + 1, -1));
                }
                else
                {
                    unparsable.Add(new Entry(long.MaxValue, long.MaxValue, offset, newline + 1, -1));
                }

                start += newline + 1;
            }

            buffer.AsSpan(start, length - start).CopyTo(buffer);
            bufferStart += start;
            length -= start;
        }

        return length;
    }
}
