using System.Globalization;
using System.Text.Json;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Okx;

/// <summary>
/// The OKX microstructure fields every channel reader shares (the record readers in <see cref="OkxMicroRows"/> and
/// the allocation-free <see cref="OkxBookUpdateReader"/>): one definition of what a valid ts, seqId, prevSeqId and
/// checksum are, so both paths accept and refuse exactly the same rows. All on the reader's UTF-8 token, no allocation.
/// </summary>
internal static class OkxMicroFields
{
    private const int MaxShortDecimal = 28;

    /// <summary>Event time: a non-zero ms timestamp sent as digits (string or number).</summary>
    public static bool TryTs(ref Utf8JsonReader reader, out long ts) => TradeFields.TryLong(ref reader, out ts) && ts != 0;

    /// <summary>seqId: a non-negative integer.</summary>
    public static bool TrySeqId(ref Utf8JsonReader reader, out long seq) => TradeFields.TryLong(ref reader, out seq);

    /// <summary>
    /// A sequenced row's <c>ts</c> or <c>seqId</c> (bbo-tbt, books), its value read into <paramref name="ts"/> or
    /// <paramref name="seq"/>: true when <paramref name="name"/> is one of them, with <paramref name="problem"/> saying why
    /// a bad value is refused; false for any other key.
    /// </summary>
    public static bool TryTsOrSeqId(ReadOnlySpan<byte> name, ref Utf8JsonReader reader, ref long ts, ref long seq, out string? problem)
    {
        problem = null;
        if (name.SequenceEqual("ts"u8))
        {
            problem = TryTs(ref reader, out ts) ? null : "ts is not a ms timestamp";
            return true;
        }

        if (name.SequenceEqual("seqId"u8))
        {
            problem = TrySeqId(ref reader, out seq) ? null : "seqId is not a non-negative integer";
            return true;
        }

        return false;
    }

    /// <summary>prevSeqId: an integer ≥ -1 (-1 on a snapshot).</summary>
    public static bool TryPrevSeqId(ref Utf8JsonReader reader, out long prev) => TrySigned(ref reader, out prev) && prev >= -1;

    /// <summary>checksum: a signed 32-bit integer; 0 means none (always so from 23 June 2026) and gives null.</summary>
    public static bool TryChecksum(ref Utf8JsonReader reader, out long? checksum)
    {
        checksum = null;
        if (!TrySigned(ref reader, out var c) || c is < int.MinValue or > int.MaxValue)
        {
            return false;
        }

        checksum = c == 0 ? null : c;
        return true;
    }

    /// <summary>An integer sent as a JSON number or string, sign allowed (prevSeqId -1, negative checksums).</summary>
    public static bool TrySigned(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType switch
        {
            JsonTokenType.Number => reader.TryGetInt64(out value),
            JsonTokenType.String => long.TryParse(reader.ValueSpan, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    /// <summary>
    /// A decimal as OKX sends prices and sizes: an unescaped JSON string holding a plain decimal (no exponent), above
    /// zero when <paramref name="positive"/>. Short values (all real ones) are checked byte by byte; a longer one is
    /// left to the exact parser, which refuses what a decimal cannot hold.
    /// </summary>
    public static bool IsDecimal(in Utf8JsonReader reader, bool positive)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
        {
            return false;
        }

        var text = reader.ValueSpan;
        if (text.Length > MaxShortDecimal)
        {
            return ExactDecimal.TryParse(text, out var value) && (!positive || value > 0);
        }

        // Up to 28 characters a plain decimal always fits decimal, and it is above zero exactly when unsigned with a non-zero digit.
        return positive ? PlainDecimal.IsPositive(text) : ExactDecimal.IsPlain(text);
    }
}
