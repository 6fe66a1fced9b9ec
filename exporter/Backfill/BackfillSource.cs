namespace Pipeline.Exporter.Backfill;

/// <summary>Where backfill takes a day's trades from.</summary>
public enum BackfillSource
{
    /// <summary>The daily archive when it exists (404 or not listed: REST history).</summary>
    Auto,

    /// <summary>Daily archives only (a missing file fails the day).</summary>
    Archive,

    /// <summary>REST history only (OKX history-trades, Binance aggTrades).</summary>
    Rest,
}
