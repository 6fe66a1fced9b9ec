using Pipeline.Exporter.Instruments;
using Pipeline.Exporter.Rest;
using Pipeline.Simulator;
using Pipeline.Vault.Layout;
using Serilog.Core;
using Serilog.Events;

namespace Pipeline.Exporter.Tests.Rest;

[Collection(SocketTestGroup.Collection)]
public sealed class EndpointRedactionTests
{
    [Theory]
    [InlineData("https://user:secret@host.example/api", "https://***@host.example/api")]
    [InlineData("wss://token@fstream.example:443/ws", "wss://***@fstream.example:443/ws")]
    [InlineData("https://host/api?apiKey=abc123&limit=5", "https://host/api?apiKey=***&limit=5")]
    [InlineData("https://host/api?limit=5&signature=ff00&x-access-token=zz", "https://host/api?limit=5&signature=***&x-access-token=***")]
    [InlineData("HTTP 500 from https://u:p@h/x: boom", "HTTP 500 from https://***@h/x: boom")]
    [InlineData("https://host/api?instId=BTC-USDT-SWAP&after=5", "https://host/api?instId=BTC-USDT-SWAP&after=5")]
    [InlineData("no url here: user:secret@host", "no url here: user:secret@host")]
    public void Redact_EndpointTexts_HideUserInfoAndSecretQueryValuesOnly(string text, string expected) =>
        Assert.Equal(expected, EndpointRedaction.Redact(text));

    [Fact]
    public void Enricher_UriAndTextProperties_NoCredentialsInTheRenderedLine()
    {
        var sink = new CollectingSink();
        using var logger = new Serilog.LoggerConfiguration().Enrich.With(new EndpointRedactingEnricher()).WriteTo.Sink(sink).CreateLogger();
        logger.Information("Connected to {Url}", new Uri("wss://user:secret@127.0.0.1:9/ws/v5/business?apiKey=k3y"));
        logger.Warning("Instrument REST failed ({Error})", "HTTP 503 from https://user:secret@127.0.0.1:9/api");
        Assert.All(sink.Events, e =>
        {
            Assert.DoesNotContain("secret", e.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("k3y", e.Text, StringComparison.Ordinal);
        });
        Assert.Contains("wss://***@127.0.0.1:9/ws/v5/business?apiKey=***", sink.Events[0].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Catalog_RestUrlWithCredentials_SnapshotInMetaDoesNotStoreThem()
    {
        using var dir = new TempDir();
        var vault = new VaultLayout(dir.Path);
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions { Instruments = ["BTC-USDT-SWAP"], Rate = 10 });
        var rest = new UriBuilder(sim.Endpoints.OkxRest) { UserName = "user", Password = "secret" }.Uri;
        var options = new ExporterOptions { Exchange = "okx", InstIds = ["BTC-USDT-SWAP"], OkxRest = rest };
        using var client = new ExchangeRestClient(TimeProvider.System, Logger.None, maxRetries: 1, maxDelay: TimeSpan.FromMilliseconds(100));
        var catalog = new InstrumentCatalog(options, vault, client, TimeProvider.System, Logger.None);
        var snapshot = await catalog.LoadAsync(CancellationToken.None);

        Assert.NotEmpty(snapshot.Instruments);
        var stored = await File.ReadAllTextAsync(vault.InstrumentsSnapshot("okx"));
        Assert.DoesNotContain("secret", stored, StringComparison.Ordinal);
        Assert.Contains("***@", stored, StringComparison.Ordinal);
    }
}
