namespace Pipeline.Simulator;

/// <summary>
/// The URLs a running simulator serves, in the same form as the exporter's production defaults:
/// full WebSocket paths for OKX, host bases for the Binance WebSocket and both REST APIs.
/// </summary>
/// <param name="OkxWsPublic">ws://host:port/ws/v5/public (channel trades)</param>
/// <param name="OkxWsBusiness">ws://host:port/ws/v5/business (channel trades-all)</param>
/// <param name="OkxRest">http://host:port (append /api/v5/...)</param>
/// <param name="BinanceWs">ws://host:port (append /market/ws/&lt;symbol&gt;@aggTrade or /market/stream?streams=...)</param>
/// <param name="BinanceRest">http://host:port (append /fapi/v1/...)</param>
/// <param name="Archive">http://host:port/archive: Binance files under {Archive}/data/futures/um/daily/aggTrades/...;
/// OKX files under {Archive}/cdn/okex/traderecords/trades/daily/... (listed with absolute urls by market-data-history)</param>
public sealed record SimulatorEndpoints(Uri OkxWsPublic, Uri OkxWsBusiness, Uri OkxRest, Uri BinanceWs, Uri BinanceRest, Uri Archive)
{
    /// <summary>The start-up lines, exactly "name url", one per endpoint.</summary>
    public IEnumerable<string> Lines()
    {
        yield return "okx-ws-public " + Text(OkxWsPublic);
        yield return "okx-ws-business " + Text(OkxWsBusiness);
        yield return "okx-rest " + Text(OkxRest);
        yield return "binance-ws " + Text(BinanceWs);
        yield return "binance-rest " + Text(BinanceRest);
        yield return "archive " + Text(Archive);
    }

    /// <summary>The URL without the trailing slash Uri adds to a bare host.</summary>
    public static string Text(Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        return uri.AbsoluteUri.TrimEnd('/');
    }
}
