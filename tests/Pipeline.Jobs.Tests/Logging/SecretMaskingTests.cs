using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Logging;
using Serilog.Events;

namespace Pipeline.Jobs.Tests.Logging;

/// <summary>
/// Credentials that reach a log event by mistake (interpolated into the template, as a property, nested, inside an
/// object's ToString, in an exception) are masked in both the console and the file of the real Serilog set-up.
/// </summary>
public sealed class SecretMaskingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Log_CredentialsEverywhere_NeitherConsoleNorFileContainsThem()
    {
        var id = Guid.NewGuid().ToString("N");
        var (key, secret, passphrase) = ("logkey" + id, "logsecret" + id, "logpass" + id[..8]);
        var credentials = ApiCredentials.Create("okx", key, secret, passphrase, "environment");
        var vault = new Pipeline.Vault.Layout.VaultLayout(_dir.File("vault"));
        using var console = new StringWriter();

        using (var log = PipelineLogging.Create(LogEventLevel.Debug, vault, console))
        {
#pragma warning disable CA2254, Serilog004 // the mistake under test: a secret interpolated into the template
            log.Information($"signing with {secret} and {passphrase}");
#pragma warning restore CA2254, Serilog004
            log.Information("key {Key} secret {Secret}", key, secret);
            log.Information("nested {@Request}", new { Headers = new[] { "OK-ACCESS-KEY: " + key }, Body = new Dictionary<string, string> { [key] = passphrase } });
            log.Information("object {Holder}", new Holder(secret));
            log.Information("credentials {Credentials} and {@Destructured}", credentials, credentials);
            log.Error(new InvalidOperationException($"bad signature for {secret}", new IOException("passphrase " + passphrase)), "Order for {InstId} failed", "BTC-USDT-SWAP");
        }

        var file = File.ReadAllText(Assert.Single(Directory.GetFiles(vault.LogsDir)));
        var text = console + "\n" + file;
        foreach (var value in new[] { key, secret, passphrase })
        {
            Assert.DoesNotContain(value, text, StringComparison.Ordinal);
        }

        // The events themselves are still written, with the values masked.
        Assert.Contains("signing with *** and ***", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("key *** secret ***", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("Order for BTC-USDT-SWAP failed", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("bad signature for ***", file, StringComparison.Ordinal);
        Assert.Contains($"okx API key ****{key[^4..]} (environment)", file, StringComparison.Ordinal);
    }

    [Fact]
    public void Mask_EventWithoutSecret_SameEvent()
    {
        ApiCredentials.Create("binance", "unrelated-key-" + Guid.NewGuid(), "unrelated-secret-" + Guid.NewGuid(), null, "test");
        var logEvent = new LogEvent(DateTimeOffset.UnixEpoch, LogEventLevel.Information, null,
            new Serilog.Parsing.MessageTemplateParser().Parse("plain {X}"), [new LogEventProperty("X", new ScalarValue("y"))]);

        Assert.Same(logEvent, SecretMaskingSink.Mask(logEvent));
    }

    [Fact]
    public void Describe_ExceptionWithSecret_Masked()
    {
        var secret = "describe-secret-" + Guid.NewGuid();
        SecretRedactor.Register(secret);

        Assert.Equal("request failed for *** (inner ***)",
            PipelineLogging.Describe(new InvalidOperationException($"request failed for {secret}", new IOException($"inner {secret}"))));
    }

    [Fact]
    public async Task Cli_UsageErrorCarryingSecret_ErrorLineMasked()
    {
        var secret = "cli-secret-" + Guid.NewGuid().ToString("N");
        SecretRedactor.Register(secret);
        var strategy = _dir.File(secret + ".yaml");

        var (code, _, error) = await CliRunner.RunAsync("signal", "--vault", _dir.File("vault"), "--strategy", strategy);

        Assert.Equal(2, code);
        Assert.DoesNotContain(secret, error, StringComparison.Ordinal);
        Assert.Contains($"error: --strategy: {_dir.File("***.yaml")} does not exist", error, StringComparison.Ordinal);
    }

    private sealed record Holder(string Value);
}
