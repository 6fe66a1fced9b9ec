using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Tests.Trading;

public sealed class CredentialLoaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Load_BinanceFromEnvironment_KeyAndSecret()
    {
        var (key, secret, _) = TestSecrets.New();
        var env = Env(("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret));

        var credentials = CredentialLoader.Load("binance", env);

        Assert.Equal("binance", credentials.Venue);
        Assert.Equal(key, credentials.ApiKey);
        Assert.Equal("environment", credentials.Source);
        Assert.Null(credentials.Passphrase);
    }

    [Fact]
    public void Load_OkxFromEnvironment_WithPassphrase()
    {
        var (key, secret, passphrase) = TestSecrets.New();
        var env = Env(("PIPELINE_OKX_API_KEY", key), ("PIPELINE_OKX_API_SECRET", secret), ("PIPELINE_OKX_API_PASSPHRASE", passphrase));

        var credentials = CredentialLoader.Load("okx", env);

        Assert.Equal(passphrase, credentials.Passphrase);
    }

    [Fact]
    public void Load_EnvironmentIncomplete_NamesMissingVariableNotValue()
    {
        var (key, _, _) = TestSecrets.New();
        var env = Env(("PIPELINE_OKX_API_KEY", key));

        var ex = Assert.Throws<CredentialsException>(() => CredentialLoader.Load("okx", env));

        Assert.Equal("okx API credentials from environment are incomplete: set PIPELINE_OKX_API_SECRET and PIPELINE_OKX_API_PASSPHRASE", ex.Message);
        Assert.DoesNotContain(key, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NothingConfigured_SaysWhereCredentialsGo()
    {
        var ex = Assert.Throws<CredentialsException>(() => CredentialLoader.Load("binance", Env()));

        Assert.Equal("no binance API credentials: set PIPELINE_BINANCE_API_KEY and PIPELINE_BINANCE_API_SECRET, " +
            "or name an owner-only credentials file in PIPELINE_CREDENTIALS_FILE", ex.Message);
    }

    [Fact]
    public void Load_OwnerOnlyFile_ReadsNamedValues()
    {
        var (key, secret, passphrase) = TestSecrets.New();
        var path = WriteFile(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            "# okx demo account", "", $"export PIPELINE_OKX_API_KEY={key}", $"PIPELINE_OKX_API_SECRET = \"{secret}\"",
            $"PIPELINE_OKX_API_PASSPHRASE='{passphrase}'", "PIPELINE_BINANCE_API_KEY=other-venue-value");

        var credentials = CredentialLoader.Load("okx", Env(("PIPELINE_CREDENTIALS_FILE", path)));

        Assert.Equal(key, credentials.ApiKey);
        Assert.Equal(passphrase, credentials.Passphrase);
        Assert.Equal($"file {path}", credentials.Source);
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(secret), credentials.SecretKey.ToArray());
    }

    [Fact]
    public void Load_EnvironmentAndFile_EnvironmentWins()
    {
        var (key, secret, _) = TestSecrets.New();
        var path = WriteFile(UnixFileMode.UserRead, "PIPELINE_BINANCE_API_KEY=file-key-000", "PIPELINE_BINANCE_API_SECRET=file-secret-000");

        var credentials = CredentialLoader.Load("binance", Env(("PIPELINE_BINANCE_API_KEY", key), ("PIPELINE_BINANCE_API_SECRET", secret)), path);

        Assert.Equal(key, credentials.ApiKey);
    }

    [UnixTheory("Unix file modes")]
    [InlineData(UnixFileMode.GroupRead, "0640")]
    [InlineData(UnixFileMode.OtherRead, "0604")]
    [InlineData(UnixFileMode.GroupRead | UnixFileMode.OtherRead, "0644")]
    public void Load_FileReadableByOthers_RefusedWithChmodFix(UnixFileMode extra, string mode)
    {
        var (key, secret, _) = TestSecrets.New();
        var path = WriteFile(UnixFileMode.UserRead | UnixFileMode.UserWrite | extra, $"PIPELINE_BINANCE_API_KEY={key}", $"PIPELINE_BINANCE_API_SECRET={secret}");

        var ex = Assert.Throws<CredentialsException>(() => CredentialLoader.Load("binance", Env(), path));

        Assert.Equal($"credentials file {path} is accessible by group or others (mode {mode}); run: chmod 600 {path}", ex.Message);
    }

    [Fact]
    public void Load_FileMissing_NamesPath()
    {
        var path = _dir.File("absent.env");
        var ex = Assert.Throws<CredentialsException>(() => CredentialLoader.Load("binance", Env(), path));
        Assert.Equal($"credentials file {path} does not exist", ex.Message);
    }

    [Fact]
    public void Load_FileLineWithoutName_NamesLineNotValue()
    {
        var (_, secret, _) = TestSecrets.New();
        var path = WriteFile(UnixFileMode.UserRead, "PIPELINE_BINANCE_API_KEY=abc", secret);

        var ex = Assert.Throws<CredentialsException>(() => CredentialLoader.Load("binance", Env(), path));

        Assert.Equal($"credentials file {path} line 2: expected NAME=value", ex.Message);
    }

    [Fact]
    public void Load_FileUnknownName_NamesIt()
    {
        var path = WriteFile(UnixFileMode.UserRead, "BINANCE_KEY=abc");
        var ex = Assert.Throws<CredentialsException>(() => CredentialLoader.Load("binance", Env(), path));
        Assert.Contains("line 1: unknown name 'BINANCE_KEY'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileLineIsASecretWithPadding_SecretNotInTheMessage()
    {
        var (_, secret, _) = TestSecrets.New();
        var path = WriteFile(UnixFileMode.UserRead, secret + "==");
        var ex = Assert.Throws<CredentialsException>(() => CredentialLoader.Load("binance", Env(), path));
        Assert.Equal($"credentials file {path} line 1: unknown name (not shown: it may be a value) (expected PIPELINE_<VENUE>_API_KEY/_SECRET/_PASSPHRASE)", ex.Message);
        Assert.DoesNotContain(secret, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FileWithoutSecret_NamesMissingEntry()
    {
        var path = WriteFile(UnixFileMode.UserRead, "PIPELINE_BINANCE_API_KEY=abcdefgh1234");
        var ex = Assert.Throws<CredentialsException>(() => CredentialLoader.Load("binance", Env(), path));
        Assert.Equal($"binance API credentials from file {path} are incomplete: missing PIPELINE_BINANCE_API_SECRET", ex.Message);
    }

    private string WriteFile(UnixFileMode mode, params string[] lines)
    {
        var path = _dir.File(Guid.NewGuid().ToString("N") + ".env");
        File.WriteAllLines(path, lines);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }

        return path;
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
        return name => map.GetValueOrDefault(name);
    }
}
