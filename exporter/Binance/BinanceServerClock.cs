using System.Text.Json;

namespace Pipeline.Exporter.Binance;

/// <summary>
/// The offset between Binance's clock and the local one, measured from <c>GET /fapi/v1/time</c>, so the
/// <c>timestamp</c> of a signed request is the server's time (a local clock ahead by more than 1 s, or behind by more
/// than recvWindow, is rejected with -1021). Local reads go through <see cref="TimeProvider"/>.
/// </summary>
public sealed class BinanceServerClock(TimeProvider time)
{
    public const string TimePath = "/fapi/v1/time";

    private long _offsetMs;
    private int _synchronised;

    /// <summary>Server minus local, in ms (0 until the first measurement).</summary>
    public long OffsetMs => Interlocked.Read(ref _offsetMs);

    public bool IsSynchronised => Volatile.Read(ref _synchronised) == 1;

    /// <summary>The server's current time in Unix ms: the local clock plus the measured offset.</summary>
    public long NowMs() => time.GetUtcNow().ToUnixTimeMilliseconds() + OffsetMs;

    /// <summary>
    /// Records a measurement: the server said <paramref name="serverTimeMs"/> somewhere between the local send and
    /// receive times; the midpoint is the best estimate of when.
    /// </summary>
    public void Observe(long serverTimeMs, long sentLocalMs, long receivedLocalMs)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(receivedLocalMs, sentLocalMs);
        var midpoint = sentLocalMs + ((receivedLocalMs - sentLocalMs) / 2);
        Interlocked.Exchange(ref _offsetMs, serverTimeMs - midpoint);
        Volatile.Write(ref _synchronised, 1);
    }

    /// <summary>Measures the offset with one <c>GET {baseUrl}/fapi/v1/time</c> (an unsigned request).</summary>
    public async Task SynchroniseAsync(HttpClient http, Uri baseUrl, CancellationToken token)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUrl);
        var sent = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var response = await http.GetAsync(new Uri(baseUrl, TimePath), token).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
        var received = time.GetUtcNow().ToUnixTimeMilliseconds();
        Observe(ParseServerTime(body), sent, received);
    }

    /// <summary>The <c>serverTime</c> of a <c>{"serverTime":1499827319559}</c> answer.</summary>
    public static long ParseServerTime(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isServerTime = reader.ValueTextEquals("serverTime"u8);
                reader.Read();
                if (isServerTime && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var value))
                {
                    return value;
                }

                reader.Skip();
            }
        }

        throw new FormatException("GET /fapi/v1/time: no integer serverTime in the answer");
    }
}
