namespace Pipeline.Exporter.Simulator;

/// <summary>
/// A stretch of event time in which one simulated instrument has no trade at all (a quiet swap): the
/// connection stays up and answers pings, only the tape is empty. Rounded out to whole 10-s blocks.
/// </summary>
public sealed record SimSilence(string InstId, DateTimeOffset From, TimeSpan Duration)
{
    public long FromMs => From.ToUnixTimeMilliseconds();

    public long ToMs => FromMs + (long)Duration.TotalMilliseconds;
}
