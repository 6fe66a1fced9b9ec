using System.Globalization;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Execution.Risk;

/// <summary>
/// A UTC time that recurs daily ("23:55") or weekly ("Sun 23:00"), optionally with a length ("Sun 23:00-23:30",
/// "23:50-00:10": an end at or before the start lies on the next day). Occurrences are anchored at Monday
/// 1970-01-05 00:00 UTC, so every computation is integer arithmetic on Unix milliseconds.
/// </summary>
public sealed record UtcRecurrence(string Text, long PeriodMs, long OffsetMs, long DurationMs)
{
    private const long DayMs = TradeTime.MsPerDay;
    private const long WeekMs = 7 * DayMs;

    // Monday 1970-01-05 00:00 UTC: the epoch (a Thursday) plus four days.
    private const long AnchorMs = 4 * DayMs;

    private static readonly string[] DayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

    /// <summary>Where <paramref name="ms"/> lies within the current period, counted from this recurrence's start (0 ≤ result &lt; period).</summary>
    public long SinceStart(long ms)
    {
        var r = (ms - AnchorMs - OffsetMs) % PeriodMs;
        return r < 0 ? r + PeriodMs : r;
    }

    /// <summary>Inside [start, start + duration) of some occurrence.</summary>
    public bool Contains(long ms) => SinceStart(ms) < DurationMs;

    /// <summary>The end of the occurrence that contains <paramref name="ms"/> (call only when <see cref="Contains"/>).</summary>
    public long EndOf(long ms) => ms - SinceStart(ms) + DurationMs;

    /// <summary>The first start strictly after <paramref name="ms"/>.</summary>
    public long NextStartAfter(long ms) => ms - SinceStart(ms) + PeriodMs;

    /// <summary>"Sun 23:00-23:30", "Mon 00:00-01:00" or "23:50-00:10" (daily); null with the problem in <paramref name="error"/>.</summary>
    public static UtcRecurrence? ParseWindow(string text, out string? error) => Parse(text, window: true, out error);

    /// <summary>"23:55" (daily) or "Fri 21:00" (weekly); null with the problem in <paramref name="error"/>.</summary>
    public static UtcRecurrence? ParseTime(string text, out string? error) => Parse(text, window: false, out error);

    private static UtcRecurrence? Parse(string text, bool window, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        error = null;
        var rest = text.Trim();
        long period = DayMs;
        long dayOffset = 0;
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0)
        {
            var day = Array.FindIndex(DayNames, d => string.Equals(d, rest[..space], StringComparison.OrdinalIgnoreCase));
            if (day < 0)
            {
                error = $"'{text}': '{rest[..space]}' is not a weekday (Mon … Sun)";
                return null;
            }

            period = WeekMs;
            dayOffset = day * DayMs;
            rest = rest[(space + 1)..].Trim();
        }

        var parts = rest.Split('-');
        var expected = window ? "a UTC window such as \"Sun 23:00-23:30\" or \"23:50-00:10\"" : "a UTC time such as \"23:55\" or \"Fri 21:00\"";
        if (parts.Length != (window ? 2 : 1) || Clock(parts[0]) is not { } start || (window && Clock(parts[1]) is null))
        {
            error = $"'{text}' is not {expected}";
            return null;
        }

        long duration = 0;
        if (window)
        {
            var end = Clock(parts[1])!.Value;
            duration = ((end - start) % DayMs + DayMs) % DayMs;
            if (duration == 0)
            {
                error = $"'{text}': the window is empty (start = end)";
                return null;
            }
        }

        return new UtcRecurrence(text.Trim(), period, dayOffset + start, duration);
    }

    private static long? Clock(string text) =>
        TimeOnly.TryParseExact(text.Trim(), "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t)
            ? t.Hour * 3_600_000L + t.Minute * 60_000L
            : null;
}
