namespace Pipeline.Simulator;

/// <summary>
/// A stretch of event time in which one simulated instrument has no trade at all (a quiet swap): the
/// connection stays up and answers pings, only the tape is empty. Rounded out to whole 10-s blocks.
/// </summary>
public sealed record SimSilence(string InstId, DateTimeOffset From, TimeSpan Duration)
{
    public long FromMs => From.ToUnixTimeMilliseconds();

    public long ToMs => FromMs + (long)Duration.TotalMilliseconds;

    /// <summary>
    /// Parses <c>INST@OFFSET+DURATION</c> (offset from <paramref name="start"/>; intervals as in faults: 500ms, 10s,
    /// 5m, 1h), for example <c>BTCUSDT@10m+5m</c>. A <see cref="FormatException"/> names the problem.
    /// </summary>
    public static SimSilence Parse(string text, DateTimeOffset start)
    {
        ArgumentNullException.ThrowIfNull(text);
        var at = text.IndexOf('@', StringComparison.Ordinal);
        var plus = at < 0 ? -1 : text.IndexOf('+', at);
        if (at <= 0 || plus < 0)
        {
            throw new FormatException($"silence '{text}': expected INST@OFFSET+DURATION, e.g. BTCUSDT@10m+5m");
        }

        var offset = text[(at + 1)..plus].Trim() is "0" ? TimeSpan.Zero : Faults.FaultSpec.Interval(text, text[(at + 1)..plus].Trim());
        return new SimSilence(text[..at].Trim(), start + offset, Faults.FaultSpec.Interval(text, text[(plus + 1)..].Trim()));
    }
}
