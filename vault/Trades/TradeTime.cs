namespace Pipeline.Vault.Trades;

/// <summary>Conversions between exchange millisecond timestamps and vault days (UTC).</summary>
public static class TradeTime
{
    public const long MsPerDay = 86_400_000;
    public const long MsPerMinute = 60_000;

    public static DateOnly Day(long unixMs) => DateOnly.FromDayNumber(DayNumberOfEpoch + (int)FloorDiv(unixMs, MsPerDay));

    public static long DayStartMs(DateOnly day) => (long)(day.DayNumber - DayNumberOfEpoch) * MsPerDay;

    public static long MinuteFloor(long unixMs) => FloorDiv(unixMs, MsPerMinute) * MsPerMinute;

    public static DateTimeOffset ToDateTimeOffset(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    private static readonly int DayNumberOfEpoch = new DateOnly(1970, 1, 1).DayNumber;

    private static long FloorDiv(long a, long b)
    {
        var q = a / b;
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
    }
}
