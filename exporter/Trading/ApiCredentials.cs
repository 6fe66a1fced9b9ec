using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Exporter.Trading;

/// <summary>
/// One venue's API key, secret and (OKX) passphrase. The secret never leaves this assembly: no public member returns
/// it, <see cref="ToString"/> names only the masked key, JSON serialisation throws, and every value is registered with
/// <see cref="SecretRedactor"/> on creation so a log line that somehow carries it is masked.
/// </summary>
[JsonConverter(typeof(RefusingConverter))]
public sealed class ApiCredentials
{
    private readonly byte[] _secretUtf8;

    private ApiCredentials(string venue, string apiKey, string secret, string? passphrase, string source)
    {
        Venue = venue;
        ApiKey = apiKey;
        Passphrase = passphrase;
        Source = source;
        _secretUtf8 = Encoding.UTF8.GetBytes(secret);
        SecretRedactor.Register(apiKey);
        SecretRedactor.Register(secret);
        SecretRedactor.Register(passphrase);
    }

    /// <summary>"binance" or "okx".</summary>
    public string Venue { get; }

    /// <summary>Where the values came from ("environment" or "file PATH"), for messages.</summary>
    public string Source { get; }

    /// <summary>The key for banners and messages: <c>****</c> and its last 4 characters.</summary>
    public string KeyId => MaskKey(ApiKey);

    /// <summary>The API key, sent in a header (X-MBX-APIKEY, OK-ACCESS-KEY); internal so it is never destructured into a log.</summary>
    internal string ApiKey { get; }

    internal string? Passphrase { get; }

    /// <summary>The HMAC key (the secret as UTF-8).</summary>
    internal ReadOnlySpan<byte> SecretKey => _secretUtf8;

    /// <summary>
    /// Credentials for <paramref name="venue"/>; OKX needs a passphrase. Throws <see cref="CredentialsException"/>
    /// naming the missing part (never a value).
    /// </summary>
    public static ApiCredentials Create(string venue, string apiKey, string secret, string? passphrase, string source)
    {
        ArgumentNullException.ThrowIfNull(venue);
        ArgumentNullException.ThrowIfNull(source);
        if (venue is not (TradingVenues.Binance or TradingVenues.Okx))
        {
            throw new CredentialsException($"no API credentials are defined for venue '{venue}' (binance, okx)");
        }

        if (string.IsNullOrWhiteSpace(apiKey) || string.IsNullOrWhiteSpace(secret))
        {
            throw new CredentialsException($"{venue} API credentials from {source}: the key and the secret must both be set");
        }

        if (venue == TradingVenues.Okx && string.IsNullOrWhiteSpace(passphrase))
        {
            throw new CredentialsException($"okx API credentials from {source}: the passphrase must be set");
        }

        return new ApiCredentials(venue, apiKey.Trim(), secret.Trim(), venue == TradingVenues.Okx ? passphrase!.Trim() : null, source);
    }

    /// <summary><c>****</c> and the last 4 characters of <paramref name="apiKey"/> (only <c>****</c> for a key of 8 or fewer).</summary>
    public static string MaskKey(string apiKey)
    {
        ArgumentNullException.ThrowIfNull(apiKey);
        return apiKey.Length <= 8 ? "****" : string.Concat("****", apiKey.AsSpan(apiKey.Length - 4));
    }

    public override string ToString() => $"{Venue} API key {KeyId} ({Source})";

    /// <summary>Makes an accidental <c>JsonSerializer.Serialize</c> of credentials (into state, a ledger, query output) fail loudly.</summary>
    private sealed class RefusingConverter : JsonConverter<ApiCredentials>
    {
        public override ApiCredentials Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("API credentials are never read from JSON");

        public override void Write(Utf8JsonWriter writer, ApiCredentials value, JsonSerializerOptions options) =>
            throw new NotSupportedException("API credentials are never written as JSON");
    }
}
