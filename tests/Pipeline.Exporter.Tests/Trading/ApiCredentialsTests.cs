using System.Text.Json;
using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Tests.Trading;

public sealed class ApiCredentialsTests
{
    [Fact]
    public void ToString_Credentials_NamesMaskedKeyNeverSecret()
    {
        var (key, secret, passphrase) = TestSecrets.New();
        var credentials = ApiCredentials.Create("okx", key, secret, passphrase, "environment");

        var text = credentials.ToString();

        Assert.Equal($"okx API key ****{key[^4..]} (environment)", text);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(passphrase, text, StringComparison.Ordinal);
        Assert.DoesNotContain(key, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Serialize_Credentials_Refused()
    {
        var (key, secret, _) = TestSecrets.New();
        var credentials = ApiCredentials.Create("binance", key, secret, null, "environment");

        var ex = Assert.Throws<NotSupportedException>(() => JsonSerializer.Serialize(new { credentials }));
        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void PublicProperties_Credentials_NoneCarriesAValue()
    {
        // What a destructuring logger ({@Credentials}) or a reflection-based serialiser would see.
        var (key, secret, passphrase) = TestSecrets.New();
        var credentials = ApiCredentials.Create("okx", key, secret, passphrase, "environment");

        var values = typeof(ApiCredentials).GetProperties().Select(p => p.GetValue(credentials)?.ToString() ?? "").ToList();

        Assert.NotEmpty(values);
        Assert.DoesNotContain(values, v => v.Contains(secret, StringComparison.Ordinal) || v.Contains(key, StringComparison.Ordinal)
            || v.Contains(passphrase, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("okx", "k", "", "pass", "the key and the secret must both be set")]
    [InlineData("okx", "", "s", "pass", "the key and the secret must both be set")]
    [InlineData("okx", "k", "s", " ", "the passphrase must be set")]
    [InlineData("kraken", "k", "s", null, "no API credentials are defined for venue 'kraken'")]
    public void Create_MissingPart_NamesIt(string venue, string key, string secret, string? passphrase, string expected)
    {
        var ex = Assert.Throws<CredentialsException>(() => ApiCredentials.Create(venue, key, secret, passphrase, "environment"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A", "****Eh8A")]
    [InlineData("12345678", "****")]
    [InlineData("123456789", "****6789")]
    public void MaskKey_Key_LastFourOnly(string key, string expected) => Assert.Equal(expected, ApiCredentials.MaskKey(key));

    [Fact]
    public void Create_Credentials_RegisteredForRedaction()
    {
        var (key, secret, passphrase) = TestSecrets.New();
        ApiCredentials.Create("okx", key, secret, passphrase, "environment");

        Assert.Equal("a *** b *** c ***", SecretRedactor.Redact($"a {key} b {secret} c {passphrase}"));
    }
}
