using System.Globalization;
using Quartz;

namespace Pipeline.Jobs.Config;

/// <summary>The shortest and longest gap between consecutive fire times of a cron expression (UTC).</summary>
public static class CronIntervals
{
    private static readonly DateTimeOffset Origin = new(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Looks up to two days (or 5000 fires) ahead; a cron that never fires twice in that span reports TimeSpan.MaxValue.</summary>
    public static (TimeSpan Min, TimeSpan Max) Range(string cron)
    {
        var expression = new CronExpression(cron, TimeZoneInfo.Utc);
        var end = Origin.AddDays(2);
        var previous = expression.GetNextValidTimeAfter(Origin);
        var min = TimeSpan.MaxValue;
        var max = TimeSpan.Zero;
        var fires = 0;
        while (previous is { } at && at < end && fires < 5_000)
        {
            var next = expression.GetNextValidTimeAfter(at);
            if (next is null || next.Value >= end)
            {
                break;
            }

            var gap = next.Value - at;
            min = gap < min ? gap : min;
            max = gap > max ? gap : max;
            previous = next;
            fires++;
        }

        return fires == 0 ? (TimeSpan.MaxValue, TimeSpan.MaxValue) : (min, max);
    }

    public static string Describe(TimeSpan span) =>
        span == TimeSpan.MaxValue ? "more than a day"
        : span.TotalSeconds < 60 ? span.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture) + " s"
        : span.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture) + " min";
}
