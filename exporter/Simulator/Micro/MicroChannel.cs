namespace Pipeline.Simulator.Micro;

/// <summary>The simulated microstructure channels (one WebSocket stream or REST endpoint family per venue).</summary>
public enum MicroChannel
{
    /// <summary>Best bid/ask: OKX <c>bbo-tbt</c>, Binance <c>&lt;symbol&gt;@bookTicker</c>.</summary>
    Quotes,

    /// <summary>L2 book: OKX <c>books</c>, Binance <c>&lt;symbol&gt;@depth@100ms</c>.</summary>
    Book,

    /// <summary>OKX <c>liquidation-orders</c>, Binance <c>&lt;symbol&gt;@forceOrder</c>.</summary>
    Liquidations,

    /// <summary>OKX <c>mark-price</c>, Binance <c>&lt;symbol&gt;@markPrice@1s</c> (mark, index, funding rate, next funding time).</summary>
    MarkPrice,

    /// <summary>OKX <c>funding-rate</c> (Binance carries it in markPrice).</summary>
    FundingRate,

    /// <summary>OKX <c>open-interest</c> (Binance: REST <c>GET /fapi/v1/openInterest</c>).</summary>
    OpenInterest,

    /// <summary>OKX <c>index-tickers</c>, subscribed by index (the instrument's family, <c>BTC-USDT</c>); Binance carries the index in markPrice.</summary>
    IndexTickers,
}
