using System.Buffers.Text;

namespace Pipeline.Vault.Micro;

/// <summary>
/// The continuity rule of <c>book_perps</c>, shared by <c>pipeline book</c> and <c>verify</c>: an update applies only
/// to the book its <see cref="BookRecord.PrevSeq"/> names, i.e. the previous applied line's <see cref="BookRecord.Seq"/>;
/// the first update after a snapshot may instead straddle it: Binance USD-M's rule <c>U</c> ≤ lastUpdateId ≤ <c>u</c>
/// (its events' ids are not contiguous; <c>U</c> = snapshot + 1 is accepted too), or, after an OKX REST snapshot,
/// prevSeqId ≤ snapshot &lt; seqId.
/// </summary>
public static class BookContinuity
{
    /// <summary>
    /// Null when <paramref name="update"/> continues the book whose last applied line had <paramref name="lastSeq"/>
    /// (<paramref name="firstAfterSnapshot"/>: that line was a snapshot), else why not.
    /// </summary>
    public static string? Break(long? lastSeq, bool firstAfterSnapshot, BookRecord update)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.Seq is not { } seq)
        {
            return "an update without seq";
        }

        if (lastSeq is not { } last)
        {
            return "the book before it has no seq";
        }

        if (update.PrevSeq == last)
        {
            return null;
        }

        if (firstAfterSnapshot && update.FirstSeq is { } first && first <= last + 1 && last <= seq)
        {
            return null;
        }

        if (firstAfterSnapshot && update.FirstSeq is null && update.PrevSeq is { } prevSeq && prevSeq <= last && last < seq)
        {
            return null;
        }

        return update.PrevSeq is { } prev
            ? $"prevSeq {prev} after seq {last}"
            : $"no prevSeq, and firstSeq {update.FirstSeq?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}..seq {seq} does not cover {last}";
    }

    /// <summary>
    /// The type and event time of a book line read from its leading keys as <see cref="MicroLineWriter"/> writes them
    /// (<c>{"exchange":…,"instId":…,"type":"…","ts":N</c>) without parsing the line: the index pass of a day scan.
    /// False when the line does not start that way (the full parse then says what is wrong).
    /// </summary>
    public static bool TryPeek(ReadOnlySpan<byte> line, out BookRecordType type, out long ts)
    {
        type = default;
        ts = 0;
        var at = line.IndexOf(",\"type\":\""u8);
        if (at < 0)
        {
            return false;
        }

        var rest = line[(at + 9)..];
        if (rest.StartsWith("update\""u8))
        {
            type = BookRecordType.Update;
            rest = rest[7..];
        }
        else if (rest.StartsWith("snapshot\""u8))
        {
            type = BookRecordType.Snapshot;
            rest = rest[9..];
        }
        else if (rest.StartsWith("resync\""u8))
        {
            type = BookRecordType.Resync;
            rest = rest[7..];
        }
        else
        {
            return false;
        }

        return rest.StartsWith(",\"ts\":"u8) && Utf8Parser.TryParse(rest[6..], out ts, out var used) && used > 0 &&
               rest.Length > 6 + used && rest[6 + used] is (byte)',' or (byte)'}';
    }
}
