using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Rest;
using Serilog.Core;

namespace Pipeline.Exporter.Tests.Binance;

/// <summary><see cref="BinanceVenue"/>: what it creates for the exporter, and who disposes it.</summary>
public sealed class BinanceVenueTests
{
    [Fact]
    public async Task CreateMicroProtocol_DisposedProtocol_DisposesTheRequestPacerItMade()
    {
        using var rest = new ExchangeRestClient(TimeProvider.System, Logger.None, maxRetries: 1);
        var options = new ExporterOptions { Exchange = "binance", InstIds = ["BTCUSDT"] };
        var protocol = Assert.IsType<BinanceMicroProtocol>(new BinanceVenue().CreateMicroProtocol(options, rest, TimeProvider.System));
        var pacer = Assert.IsType<Pipeline.Exporter.GapFill.RequestPacer>(protocol.OwnedPacer);
        await pacer.WaitAsync(CancellationToken.None); // usable while the protocol lives (the first request never waits)

        protocol.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => pacer.WaitAsync(CancellationToken.None));
    }
}
