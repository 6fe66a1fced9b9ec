using System.Buffers;
using System.Text;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Micro;

/// <summary>
/// Serialises the microstructure records as JSON lines (trailing '\n'), keys in the declared order, absent
/// optional fields left out, decimals as the exchange's strings. Writes into a caller's buffer.
/// </summary>
public static class MicroLineWriter
{
    public static void Write(IBufferWriter<byte> output, QuoteRecord quote)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(quote);
        var w = new JsonLineBuilder(output);
        w.Text("{\"exchange\":"u8, quote.Exchange);
        w.Text(",\"instId\":"u8, quote.InstId);
        w.Number(",\"ts\":"u8, quote.Ts);
        w.Number(",\"seq\":"u8, quote.Seq);
        w.Text(",\"bidPx\":"u8, quote.BidPx);
        w.Text(",\"bidSz\":"u8, quote.BidSz);
        w.Text(",\"askPx\":"u8, quote.AskPx);
        w.Text(",\"askSz\":"u8, quote.AskSz);
        w.Number(",\"recvTs\":"u8, quote.RecvTs);
        w.Text(",\"src\":"u8, quote.Src);
        w.Raw("}\n"u8);
    }

    public static void Write(IBufferWriter<byte> output, BookRecord book)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(book);
        var w = new JsonLineBuilder(output);
        w.Text("{\"exchange\":"u8, book.Exchange);
        w.Text(",\"instId\":"u8, book.InstId);
        w.Text(",\"type\":"u8, TypeName(book.Type));
        w.Number(",\"ts\":"u8, book.Ts);
        if (book.Seq is { } seq)
        {
            w.Number(",\"seq\":"u8, seq);
        }

        if (book.PrevSeq is { } prev)
        {
            w.Number(",\"prevSeq\":"u8, prev);
        }

        if (book.FirstSeq is { } first)
        {
            w.Number(",\"firstSeq\":"u8, first);
        }

        if (book.Type != BookRecordType.Resync)
        {
            Levels(ref w, ",\"bids\":["u8, book.Bids);
            Levels(ref w, ",\"asks\":["u8, book.Asks);
        }

        if (book.Checksum is { } checksum)
        {
            w.Number(",\"checksum\":"u8, checksum);
        }

        if (book.Reason is { } reason)
        {
            w.Text(",\"reason\":"u8, reason);
        }

        w.Number(",\"recvTs\":"u8, book.RecvTs);
        w.Text(",\"src\":"u8, book.Src);
        w.Raw("}\n"u8);
    }

    public static void Write(IBufferWriter<byte> output, LiquidationRecord liquidation)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(liquidation);
        var w = new JsonLineBuilder(output);
        w.Text("{\"exchange\":"u8, liquidation.Exchange);
        w.Text(",\"instId\":"u8, liquidation.InstId);
        w.Number(",\"ts\":"u8, liquidation.Ts);
        w.Text(",\"side\":"u8, liquidation.Side);
        w.Text(",\"px\":"u8, liquidation.Px);
        w.Text(",\"sz\":"u8, liquidation.Sz);
        Optional(ref w, ",\"avgPx\":"u8, liquidation.AvgPx);
        Optional(ref w, ",\"filledSz\":"u8, liquidation.FilledSz);
        Optional(ref w, ",\"status\":"u8, liquidation.Status);
        Optional(ref w, ",\"posSide\":"u8, liquidation.PosSide);
        Optional(ref w, ",\"bkLoss\":"u8, liquidation.BkLoss);
        w.Number(",\"recvTs\":"u8, liquidation.RecvTs);
        w.Text(",\"src\":"u8, liquidation.Src);
        w.Raw("}\n"u8);
    }

    public static void Write(IBufferWriter<byte> output, DerivativesRecord derivatives)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(derivatives);
        var w = new JsonLineBuilder(output);
        w.Text("{\"exchange\":"u8, derivatives.Exchange);
        w.Text(",\"instId\":"u8, derivatives.InstId);
        w.Number(",\"ts\":"u8, derivatives.Ts);
        w.Text(",\"channel\":"u8, derivatives.Channel);
        Optional(ref w, ",\"markPx\":"u8, derivatives.MarkPx);
        Optional(ref w, ",\"indexPx\":"u8, derivatives.IndexPx);
        Optional(ref w, ",\"fundingRate\":"u8, derivatives.FundingRate);
        if (derivatives.NextFundingTime is { } next)
        {
            w.Number(",\"nextFundingTime\":"u8, next);
        }

        Optional(ref w, ",\"openInterest\":"u8, derivatives.OpenInterest);
        Optional(ref w, ",\"openInterestCcy\":"u8, derivatives.OpenInterestCcy);
        w.Number(",\"recvTs\":"u8, derivatives.RecvTs);
        w.Text(",\"src\":"u8, derivatives.Src);
        w.Raw("}\n"u8);
    }

    /// <summary>The line as a string (tests, tools, the simulator's truth); recorders write into their buffer.</summary>
    public static string ToLine(object record)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        switch (record)
        {
            case QuoteRecord q: Write(buffer, q); break;
            case BookRecord b: Write(buffer, b); break;
            case LiquidationRecord l: Write(buffer, l); break;
            case DerivativesRecord d: Write(buffer, d); break;
            default: throw new ArgumentException($"not a micro record: {record?.GetType().Name ?? "null"}", nameof(record));
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string TypeName(BookRecordType type) => type switch
    {
        BookRecordType.Snapshot => "snapshot",
        BookRecordType.Update => "update",
        BookRecordType.Resync => "resync",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a book line type"),
    };

    private static void Optional(ref JsonLineBuilder w, ReadOnlySpan<byte> key, string? value)
    {
        if (value is not null)
        {
            w.Text(key, value);
        }
    }

    private static void Levels(ref JsonLineBuilder w, ReadOnlySpan<byte> key, IReadOnlyList<BookLevel> levels)
    {
        w.Raw(key);
        for (var i = 0; i < levels.Count; i++)
        {
            w.Raw(i == 0 ? "["u8 : ",["u8);
            w.StringValue(levels[i].Px);
            w.Raw(","u8);
            w.StringValue(levels[i].Sz);
            w.Raw("]"u8);
        }

        w.Raw("]"u8);
    }
}
