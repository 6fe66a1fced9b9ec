namespace Pipeline.Jobs.Backtest.Csv;

/// <summary>The two CSV layouts a backtest reads.</summary>
public enum CsvKind
{
    /// <summary>1-minute OHLCV bars: <c>timestamp,open,high,low,close,volume</c>, timestamp = the minute's start.</summary>
    Bars,

    /// <summary>Trades (ticks): <c>timestamp,price,size</c>.</summary>
    Ticks,
}
