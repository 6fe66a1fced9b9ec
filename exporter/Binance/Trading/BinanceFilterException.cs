namespace Pipeline.Exporter.Binance.Trading;

/// <summary>An order the exchange filters would refuse (below the minimum quantity or notional), refused before it is sent.</summary>
public sealed class BinanceFilterException : Exception
{
    public BinanceFilterException()
    {
    }

    public BinanceFilterException(string message)
        : base(message)
    {
    }

    public BinanceFilterException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
