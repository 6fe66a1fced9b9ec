using Pipeline.Jobs.Execution.Risk;

namespace Pipeline.Jobs.Tests.Execution.Risk;

public sealed class UtcRecurrenceTests
{
    // 2026-01-04 is a Sunday, 2026-01-05 a Monday, 2026-01-07 a Wednesday.
    private static long Utc(int day, int hour, int minute, int ms = 0) =>
        new DateTimeOffset(2026, 1, day, hour, minute, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() + ms;

    [Fact]
    public void Window_WeeklyAcrossMidnight_CoversSundayNightIntoMonday()
    {
        var w = UtcRecurrence.ParseWindow("Sun 23:30-00:15", out var error)!;
        Assert.Null(error);
        Assert.False(w.Contains(Utc(4, 23, 29, 59_999)));
        Assert.True(w.Contains(Utc(4, 23, 30)));
        Assert.True(w.Contains(Utc(5, 0, 14, 59_999)));
        Assert.False(w.Contains(Utc(5, 0, 15)));
        Assert.Equal(Utc(5, 0, 15), w.EndOf(Utc(4, 23, 45)));
        Assert.False(w.Contains(Utc(7, 23, 45))); // a Wednesday night is not Sunday
        Assert.True(w.Contains(Utc(11, 23, 45))); // the next Sunday is
    }

    [Fact]
    public void Window_DailyAcrossMidnight_CoversEveryNight()
    {
        var w = UtcRecurrence.ParseWindow("23:50-00:10", out _)!;
        Assert.True(w.Contains(Utc(7, 23, 50)));
        Assert.True(w.Contains(Utc(8, 0, 9, 59_999)));
        Assert.False(w.Contains(Utc(8, 0, 10)));
        Assert.False(w.Contains(Utc(7, 23, 49, 59_999)));
        Assert.True(w.Contains(Utc(4, 23, 55)));
    }

    [Fact]
    public void Time_NextStartAfter_IsStrictlyLaterDailyAndWeekly()
    {
        var daily = UtcRecurrence.ParseTime("23:55", out _)!;
        Assert.Equal(Utc(7, 23, 55), daily.NextStartAfter(Utc(7, 12, 0)));
        Assert.Equal(Utc(8, 23, 55), daily.NextStartAfter(Utc(7, 23, 55)));
        var friday = UtcRecurrence.ParseTime("fri 21:00", out _)!; // 2026-01-09 is a Friday
        Assert.Equal(Utc(9, 21, 0), friday.NextStartAfter(Utc(5, 0, 0)));
        Assert.Equal(Utc(16, 21, 0), friday.NextStartAfter(Utc(9, 21, 0)));
    }

    [Theory]
    [InlineData("Sun 23:00")]
    [InlineData("Sunday 23:00-23:30")]
    [InlineData("23:00-23:00")]
    [InlineData("24:00-01:00")]
    [InlineData("23:00 - 23:30 x")]
    public void Window_Malformed_IsRejectedWithTheText(string text)
    {
        Assert.Null(UtcRecurrence.ParseWindow(text, out var error));
        Assert.Contains(text.Split(' ')[0], error, StringComparison.Ordinal);
    }
}
