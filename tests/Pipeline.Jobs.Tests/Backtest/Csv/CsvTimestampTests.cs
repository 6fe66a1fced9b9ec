using Pipeline.Jobs.Backtest.Csv;

namespace Pipeline.Jobs.Tests.Backtest.Csv;

public sealed class CsvTimestampTests
{
    // 2026-03-02T00:00:00Z = 1772409600 s (20514 days × 86400 s since 1970-01-01).
    [Theory]
    [InlineData("2026-03-02T00:00:00Z", 1772409600000)]
    [InlineData("2026-03-02 00:00:00", 1772409600000)]        // no offset: UTC
    [InlineData("2026-03-02T01:00:00+01:00", 1772409600000)]  // an offset is honoured
    [InlineData("2026-03-02T00:00:00.123456Z", 1772409600123)] // past the millisecond: cut
    [InlineData("2026-03-02T00:00Z", 1772409600000)]
    [InlineData("1772409600", 1772409600000)]                 // below 10^11: seconds
    [InlineData("1772409600.5", 1772409600500)]
    [InlineData("1772409600250", 1772409600250)]              // from 10^11: milliseconds
    public void TryParse_AcceptedForms_UnixMs(string text, long expected)
    {
        Assert.True(CsvTimestamp.TryParse(text, out var ms, out var error), error);
        Assert.Equal(expected, ms);
    }

    [Theory]
    [InlineData("1772409600000000", "microseconds")]
    [InlineData("1772409600.0001", "more than 3 decimals")]
    [InlineData("1772409600250.5", "milliseconds with a fraction")]
    [InlineData("03/02/2026 00:00", "neither ISO-8601")]
    [InlineData("2026-02-30T00:00:00Z", "not a valid date")]
    [InlineData("1999-12-31T23:59:59Z", "outside")]
    public void TryParse_Refused_SaysWhy(string text, string reason)
    {
        Assert.False(CsvTimestamp.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
