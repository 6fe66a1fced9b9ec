using System.Globalization;
using System.Text.Json;

namespace Pipeline.Exporter.Binance.Trading;

/// <summary>
/// A USD-M symbol's exchange filters from GET /fapi/v1/exchangeInfo: PRICE_FILTER <c>tickSize</c>, LOT_SIZE
/// <c>stepSize</c>/<c>minQty</c>, MARKET_LOT_SIZE <c>stepSize</c>/<c>minQty</c> and MIN_NOTIONAL <c>notional</c>. Orders are
/// rounded to them before sending (never to a price that would be more aggressive, never to a larger size) and refused
/// when they fall below the minimum quantity or notional, so the exchange never sees a -4014/-1111/-4164 order.
/// </summary>
public sealed record BinanceSymbolFilters(string Symbol, decimal TickSize, decimal StepSize, decimal MinQty, decimal MarketStepSize, decimal MarketMinQty, decimal MinNotional)
{
    /// <summary>The limit price on the tick grid, rounded away from crossing: down for a buy, up for a sell.</summary>
    public decimal RoundPrice(decimal price, BinanceOrderSide side)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(price);
        var ticks = price / TickSize;
        var whole = side == BinanceOrderSide.Buy ? decimal.Floor(ticks) : decimal.Ceiling(ticks);
        return Normalise(whole * TickSize);
    }

    /// <summary>The quantity rounded down to the step (LIMIT uses LOT_SIZE, MARKET uses MARKET_LOT_SIZE).</summary>
    public decimal RoundQuantity(decimal quantity, bool market)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        var step = market ? MarketStepSize : StepSize;
        return Normalise(decimal.Floor(quantity / step) * step);
    }

    /// <summary>
    /// The rounded quantity (and limit price) to send; throws <see cref="BinanceFilterException"/> when the rounded quantity is below
    /// minQty, or when price × quantity is below MIN_NOTIONAL (<paramref name="referencePrice"/> for a market order: the price
    /// it is expected to fill near). Binance exempts reduce-only orders from MIN_NOTIONAL.
    /// </summary>
    public (decimal Quantity, decimal Price) Apply(BinanceOrderSide side, decimal quantity, decimal referencePrice, bool market, bool reduceOnly)
    {
        var qty = RoundQuantity(quantity, market);
        var minQty = market ? MarketMinQty : MinQty;
        if (qty < minQty)
        {
            throw new BinanceFilterException(string.Create(CultureInfo.InvariantCulture,
                $"{Symbol}: quantity {quantity} rounds down to {BinanceDecimal.Format(qty)}, below the minimum {BinanceDecimal.Format(minQty)}"));
        }

        var price = market ? referencePrice : RoundPrice(referencePrice, side);
        if (!reduceOnly && qty * price < MinNotional)
        {
            throw new BinanceFilterException(string.Create(CultureInfo.InvariantCulture,
                $"{Symbol}: notional {BinanceDecimal.Format(qty * price)} ({BinanceDecimal.Format(qty)} x {BinanceDecimal.Format(price)}) is below the minimum {BinanceDecimal.Format(MinNotional)}"));
        }

        return (qty, price);
    }

    /// <summary>The filters of <paramref name="symbol"/> in an exchangeInfo answer; throws when the symbol or a filter is missing.</summary>
    public static BinanceSymbolFilters Parse(ReadOnlySpan<byte> exchangeInfo, string symbol)
    {
        using var document = JsonDocument.Parse(exchangeInfo.ToArray());
        if (!document.RootElement.TryGetProperty("symbols", out var symbols) || symbols.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("Binance exchangeInfo response has no symbols array");
        }

        foreach (var row in symbols.EnumerateArray())
        {
            if (row.TryGetProperty("symbol", out var s) && s.GetString() == symbol)
            {
                return FromSymbol(row, symbol);
            }
        }

        throw new InvalidDataException($"Binance exchangeInfo has no symbol {symbol}");
    }

    private static BinanceSymbolFilters FromSymbol(JsonElement row, string symbol)
    {
        decimal? tick = null, step = null, minQty = null, mStep = null, mMinQty = null, notional = null;
        if (row.TryGetProperty("filters", out var filters) && filters.ValueKind == JsonValueKind.Array)
        {
            foreach (var f in filters.EnumerateArray())
            {
                switch (f.TryGetProperty("filterType", out var t) ? t.GetString() : null)
                {
                    case "PRICE_FILTER":
                        tick = Field(f, "tickSize");
                        break;
                    case "LOT_SIZE":
                        (step, minQty) = (Field(f, "stepSize"), Field(f, "minQty"));
                        break;
                    case "MARKET_LOT_SIZE":
                        (mStep, mMinQty) = (Field(f, "stepSize"), Field(f, "minQty"));
                        break;
                    case "MIN_NOTIONAL":
                        notional = Field(f, "notional");
                        break;
                    default:
                        break;
                }
            }
        }

        if (tick is not > 0 || step is not > 0 || minQty is null || notional is null)
        {
            throw new InvalidDataException($"Binance exchangeInfo {symbol}: PRICE_FILTER tickSize, LOT_SIZE stepSize/minQty and MIN_NOTIONAL notional are all needed");
        }

        return new BinanceSymbolFilters(symbol, tick.Value, step.Value, minQty.Value, mStep is > 0 ? mStep.Value : step.Value, mMinQty ?? minQty.Value, notional.Value);
    }

    private static decimal? Field(JsonElement filter, string name) =>
        filter.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            && decimal.TryParse(v.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d) ? d : null;

    private static decimal Normalise(decimal value) => value / 1.000000000000000000000000000000000m;
}
