using System.Diagnostics;
using Pipeline.Exporter;
using Pipeline.Simulator;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Bench;

/// <summary>
/// End to end over loopback: the simulator (in-process, Kestrel) streams OKX trades-all and Binance
/// aggTrade at a high rate; two exporters record into a scratch vault. Throughput = trades written per
/// second of wall time after a warm-up; the lag shows whether the exporter kept up with the feed.
/// </summary>
internal static class EndToEnd
{
    public static async Task<IReadOnlyList<ExportBench.Row>> RunAsync(string dir, TimeSpan duration, CancellationToken token)
    {
        const double ratePerInstrument = 20_000;
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = ["BTC-USDT-SWAP", "BTC-USD-SWAP", "BTCUSDT", "ETHUSDT"], Rate = ratePerInstrument, Seed = 9, Micro = false,
        }, token);
        var vault = new VaultLayout(dir);
        var logger = Serilog.Core.Logger.None;
        ExporterService Exporter(string exchange, string[] ids) => new(new ExporterOptions
        {
            Exchange = exchange, InstIds = ids,
            OkxWsPublic = sim.Endpoints.OkxWsPublic, OkxWsBusiness = sim.Endpoints.OkxWsBusiness, OkxRest = sim.Endpoints.OkxRest,
            BinanceWs = sim.Endpoints.BinanceWs, BinanceRest = sim.Endpoints.BinanceRest,
        }, vault, TimeProvider.System, logger);
        var okx = Exporter("okx", ["BTC-USDT-SWAP", "BTC-USD-SWAP"]);
        var binance = Exporter("binance", ["BTCUSDT", "ETHUSDT"]);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
        var runs = new[] { okx.RunAsync(cts.Token), binance.RunAsync(cts.Token) };
        await Task.WhenAll(okx.Started, binance.Started);
        await Task.Delay(TimeSpan.FromSeconds(2), token); // warm-up: JIT, connections, first fills
        long Total() => okx.Recorders.Concat(binance.Recorders).Sum(r => r.Trades);
        var start = Total();
        var watch = Stopwatch.StartNew();
        await Task.Delay(duration, token);
        var trades = Total() - start;
        watch.Stop();
        var lagMs = sim.PublishedThroughMs - okx.Recorders.Concat(binance.Recorders).Min(r => r.WatermarkTs);
        await cts.CancelAsync();
        await Task.WhenAll(runs);
        return
        [
            new ExportBench.Row("end to end: simulator → WebSocket (loopback) → 2 exporters → vault", trades, watch.Elapsed, double.NaN,
                $"4 instruments at {ratePerInstrument:N0}/s offered; watermark lag at the end {lagMs:N0} ms"),
        ];
    }
}
