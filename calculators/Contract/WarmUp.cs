namespace Pipeline.Calculators.Contract;

/// <summary>
/// When an indicator output can first hold a value. <see cref="Minutes"/>: the series (from its first
/// bar, the current one included) must span that many minutes; a rolling window counts elapsed minutes
/// (a gap in the bars counts), a bar-count indicator such as ADX counts bars — the same thing on the
/// continuous minute series the bars stage writes. <see cref="FromSessionStart"/>: the series must also
/// have begun at or before the current session's start, so a session output never shows a partial
/// session. A warm output can still be null for lack of data (a window without volume).
/// </summary>
public readonly record struct WarmUp(int Minutes, bool FromSessionStart = false)
{
    /// <summary>A value from the first bar on.</summary>
    public static WarmUp None { get; } = new(1);

    /// <summary>A value once the series covers the whole current session.</summary>
    public static WarmUp Session { get; } = new(1, FromSessionStart: true);

    public static WarmUp Of(int minutes) =>
        minutes >= 1 ? new WarmUp(minutes) : throw new ArgumentOutOfRangeException(nameof(minutes), minutes, "a warm-up is at least 1 minute");

    public TimeSpan Length => TimeSpan.FromMinutes(Minutes);

    /// <summary>"60m", "session" or "none": how status shows it.</summary>
    public override string ToString() =>
        FromSessionStart ? "session" : Minutes <= 1 ? "none" : Minutes.ToString(System.Globalization.CultureInfo.InvariantCulture) + "m";
}
