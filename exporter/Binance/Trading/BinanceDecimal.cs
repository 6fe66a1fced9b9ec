using System.Globalization;

namespace Pipeline.Exporter.Binance.Trading;

/// <summary>Prices and quantities as Binance wants them in a request: plain digits, '.' separator, no exponent, no trailing zeros.</summary>
public static class BinanceDecimal
{
    /// <summary>"65000.1", "0.001", "100" (never "1E-3", "0.0010" or "100.0").</summary>
    public static string Format(decimal value) =>
        value.ToString("0.############################", CultureInfo.InvariantCulture);
}
