namespace Pipeline.Exporter.Trading;

/// <summary>The venues with a private (trading) API: the same names as the exporter's venues.</summary>
public static class TradingVenues
{
    public const string Binance = "binance";
    public const string Okx = "okx";
}
