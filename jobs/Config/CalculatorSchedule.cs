using System.Globalization;
using Quartz;

namespace Pipeline.Jobs.Config;

/// <summary>
/// When the calculators should fire so that each minute is emitted as soon as it is final. Minute M is
/// final once the exporter watermark is past M+1m plus the lateness; a pass that fires a moment before
/// that skips M, which then waits a whole pass (at second 0 with 2 s lateness: M appears at M+2m).
/// </summary>
public static class CalculatorSchedule
{
    /// <summary>
    /// Time after M+1m+lateness before the pass fires: the exporter saves its watermark about once a second
    /// (its state interval), and a trade takes a moment to arrive and be written.
    /// </summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    /// <summary>A pass this long (at most) after a minute becomes final still emits it "on time".</summary>
    public static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    /// <summary>Every minute at second ceil(lateness + <see cref="Margin"/>) mod 60: "4 * * * * ?" for the default 2 s.</summary>
    public static string DefaultCron(TimeSpan lateness) =>
        FireSecond(lateness).ToString(CultureInfo.InvariantCulture) + " * * * * ?";

    /// <summary>The second of the minute at which the default cron fires.</summary>
    public static int FireSecond(TimeSpan lateness) =>
        (int)(Math.Ceiling((Clamp(lateness) + Margin).TotalSeconds) % 60);

    /// <summary>
    /// Null when <paramref name="cron"/> fires within <see cref="Margin"/>..<see cref="Prompt"/> after some minute
    /// becomes final (M+1m+lateness); otherwise why minutes come a pass late and what to set instead.
    /// Looks two days (or 5000 fires) ahead, like <see cref="CronIntervals"/>.
    /// </summary>
    public static string? LateMinutesWarning(string cron, TimeSpan lateness)
    {
        ArgumentNullException.ThrowIfNull(cron);
        lateness = Clamp(lateness);
        var expression = new CronExpression(cron, TimeZoneInfo.Utc);
        var origin = new DateTimeOffset(2025, 1, 6, 0, 0, 0, TimeSpan.Zero);
        var end = origin.AddDays(2);
        var best = TimeSpan.MaxValue;
        var at = expression.GetNextValidTimeAfter(origin);
        for (var fires = 0; at is { } fire && fire < end && fires < 5_000; fires++)
        {
            var after = AfterFinal(fire, lateness);
            if (after >= Margin && after <= Prompt)
            {
                return null;
            }

            best = after < best ? after : best;
            at = expression.GetNextValidTimeAfter(fire);
        }

        var lateText = CronIntervals.Describe(lateness);
        return best == TimeSpan.MaxValue
            ? null // fires less than once in two days: not a minute schedule at all, the interval rule speaks for it
            : $"schedule.calculators '{cron}' never fires {Margin.TotalSeconds:0}-{Prompt.TotalSeconds:0} s after a minute becomes final " +
              $"(minute M is final at M+1m+{lateText}, calculators.latenessSeconds): a minute that closes just before a pass misses it and waits for the next, " +
              $"so minutes come up to a pass late. Fire at second {FireSecond(lateness).ToString(CultureInfo.InvariantCulture)} " +
              $"(e.g. '{DefaultCron(lateness)}'), or leave schedule.calculators unset to have it derived from the lateness.";
    }

    /// <summary>How long after the latest "minute final" instant (a minute boundary plus the lateness) <paramref name="fire"/> comes.</summary>
    private static TimeSpan AfterFinal(DateTimeOffset fire, TimeSpan lateness)
    {
        var shifted = (fire - lateness).UtcTicks;
        return TimeSpan.FromTicks(shifted - (shifted / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute));
    }

    private static TimeSpan Clamp(TimeSpan lateness) => lateness < TimeSpan.Zero ? TimeSpan.Zero : lateness;
}
