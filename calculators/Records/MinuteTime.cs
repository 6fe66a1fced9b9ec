using System.Globalization;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Records;

/// <summary>Minute timestamps: Unix ms ↔ "yyyy-MM-ddTHH:mm:00Z", day boundaries, sessions.</summary>
public static class MinuteTime
{
    public const long Ms = TradeTime.MsPerMinute;

    /// <summary>Formats "2025-12-14T21:34:00Z" (20 bytes).</summary>
    public static int FormatUtf8(long minuteMs, Span<byte> destination)
    {
        var time = DateTimeOffset.FromUnixTimeMilliseconds(minuteMs).UtcDateTime;
        time.TryFormat(destination, out var written, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return written;
    }

    public static string Format(long minuteMs) =>
        DateTimeOffset.FromUnixTimeMilliseconds(minuteMs).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    public static long Parse(ReadOnlySpan<char> text) =>
        new DateTimeOffset(DateTime.ParseExact(text, "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal), TimeSpan.Zero).ToUnixTimeMilliseconds();

    public static DateOnly Day(long minuteMs) => TradeTime.Day(minuteMs);

    public static long DayStart(DateOnly day) => TradeTime.DayStartMs(day);

    public static long DayEnd(DateOnly day) => TradeTime.DayStartMs(day) + TradeTime.MsPerDay;

    /// <summary>Start of the session holding <paramref name="minuteMs"/>: the latest resetHour:00 UTC at or before it.</summary>
    public static long SessionStart(long minuteMs, int resetHour)
    {
        var offset = resetHour * 3_600_000L;
        var shifted = minuteMs - offset;
        var day = shifted >= 0 ? shifted / TradeTime.MsPerDay : ((shifted + 1) / TradeTime.MsPerDay) - 1;
        return (day * TradeTime.MsPerDay) + offset;
    }
}
