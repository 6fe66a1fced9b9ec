using Pipeline.Jobs.Tests.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Export;
using Pipeline.Jobs.Hosting;
using Pipeline.Simulator;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;

namespace Pipeline.Jobs.Tests.Export;

/// <summary>
/// exchanges.X.data reaches the exporters <c>pipeline run</c> starts: the real host and exporter factory against the
/// loopback simulator (with its microstructure on), each exchange recording exactly the kinds its own list names.
/// </summary>
public sealed class ExportDataHostTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Run_DataPerExchange_EachExporterRecordsExactlyItsKinds()
    {
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTC-USDT-SWAP", "BTCUSDT"], Rate = 20, Seed = 3, Micro = true,
        });
        var file = _dir.File("pipeline.yaml");
        await File.WriteAllTextAsync(file, $"""
            vault: {_dir.File("vault")}
            exchanges:
              okx:
                instruments: [BTC-USDT-SWAP]
                data: [book]
              binance:
                instruments: [BTCUSDT]
                data: [quotes]
            {SimEndpointsYaml.For(sim)}
            """);
        var config = PipelineConfigLoader.Load(file, new Dictionary<string, string>
        {
            // A run host serves /health: on a free port, never the machine's fixed 9464.
            ["PIPELINE_HEALTH__ADDRESS"] = "127.0.0.1:0",
        }, [], _dir.Path);
        var vault = new VaultLayout(config.Vault);

        using (var host = PipelineHost.Build(config, HostMode.Run, (services, _) => services.AddSingleton<IExporterFactory, ExporterFactory>()))
        {
            await host.StartAsync();
            try
            {
                await Waits.UntilAsync(() => Lines(vault, MicroKind.Book, "okx", "BTC-USDT-SWAP") >= 20 && Lines(vault, MicroKind.Quotes, "binance", "BTCUSDT") >= 20,
                    Bound, "20 okx book lines and 20 binance quote lines");
            }
            finally
            {
                await host.StopAsync();
            }
        }

        Assert.Equal(0, Lines(vault, MicroKind.Quotes, "okx", "BTC-USDT-SWAP"));
        Assert.Equal(0, Lines(vault, MicroKind.Book, "binance", "BTCUSDT"));
        foreach (var kind in new[] { MicroKind.Liquidations, MicroKind.Derivatives })
        {
            Assert.False(Directory.Exists(vault.MicroExchangeDir(kind, "okx")), $"okx recorded {kind}");
            Assert.False(Directory.Exists(vault.MicroExchangeDir(kind, "binance")), $"binance recorded {kind}");
        }

        Assert.False(Directory.Exists(vault.RawInstrumentDir("okx", "BTC-USDT-SWAP")), "okx recorded trades");
        Assert.False(Directory.Exists(vault.RawInstrumentDir("binance", "BTCUSDT")), "binance recorded trades");
    }

    private static long Lines(VaultLayout vault, MicroKind kind, string exchange, string instId) =>
        MicroDayFiles.Days(vault, kind, exchange, instId)
            .Select(day => vault.MicroDayJsonl(kind, exchange, instId, day))
            .Where(File.Exists)
            .Sum(path => File.ReadAllLines(path).Length);
}
