namespace Pipeline.Simulator.Trading;

/// <summary>At most <see cref="Count"/> new orders per <see cref="Window"/> (sliding), per account.</summary>
public sealed record SimRateLimit(int Count, TimeSpan Window)
{
    /// <summary>Binance USD-M's ORDERS limits from exchangeInfo: 300 per 10 seconds, 1200 per minute.</summary>
    public static IReadOnlyList<SimRateLimit> BinanceDefaults { get; } =
        [new(300, TimeSpan.FromSeconds(10)), new(1200, TimeSpan.FromMinutes(1))];

    /// <summary>"10s" / "1m" style text for error messages.</summary>
    public string WindowText => Window.TotalSeconds is var s && s % 60 == 0 ? $"{s / 60:0}m" : $"{s:0.###}s";
}
