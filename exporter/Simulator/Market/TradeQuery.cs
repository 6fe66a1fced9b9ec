namespace Pipeline.Simulator.Market;

/// <summary>
/// Range reads over a generator for the REST endpoints: by id or time, forwards or newest first,
/// never past a given event time (the simulated now).
/// </summary>
public static class TradeQuery
{
    /// <summary>How far back a backward scan looks for trades before giving up (quiet gaps are short).</summary>
    private const int MaxEmptyBlocks = 8640;

    /// <summary>
    /// Fills with minIdExclusive &lt; id &lt;= maxId and ts &lt;= maxTs, newest first, at most
    /// <paramref name="limit"/>, not older than <paramref name="minTs"/>.
    /// </summary>
    public static List<SimFill> FillsNewestFirst(MarketGenerator market, long maxId, long maxTs, long minIdExclusive, long minTs, int limit)
    {
        ArgumentNullException.ThrowIfNull(market);
        var result = new List<SimFill>(Math.Min(limit, 1000));
        if (limit <= 0 || maxId <= minIdExclusive)
        {
            return result;
        }

        var block = MarketGenerator.BlockOf(maxTs);
        if (maxId < market.FillIdBase(block))
        {
            block = market.BlockOfFillId(maxId);
        }

        var empty = 0;
        while (result.Count < limit && empty < MaxEmptyBlocks)
        {
            var current = market.Block(block);
            if (current.EndMs <= minTs)
            {
                break;
            }

            var fills = current.Fills.Span;
            if (fills.Length == 0)
            {
                empty++;
            }
            else
            {
                empty = 0;
            }

            for (var i = fills.Length - 1; i >= 0 && result.Count < limit; i--)
            {
                var fill = fills[i];
                if (fill.Id <= minIdExclusive || fill.Ts < minTs)
                {
                    return result;
                }

                if (fill.Id <= maxId && fill.Ts <= maxTs)
                {
                    result.Add(fill);
                }
            }

            block--;
        }

        return result;
    }

    /// <summary>Fills with id &gt;= minId and ts &lt;= maxTs, oldest first, at most <paramref name="limit"/>.</summary>
    public static List<SimFill> FillsUpward(MarketGenerator market, long minId, long maxTs, int limit)
    {
        ArgumentNullException.ThrowIfNull(market);
        var result = new List<SimFill>(Math.Min(limit, 1000));
        var last = MarketGenerator.BlockOf(maxTs);
        if (minId >= market.FillIdBase(last + 1))
        {
            return result; // not traded yet
        }

        for (var block = market.BlockOfFillId(minId); block <= last && result.Count < limit; block++)
        {
            var fills = market.Block(block).Fills.Span;
            for (var i = 0; i < fills.Length && result.Count < limit; i++)
            {
                if (fills[i].Ts > maxTs)
                {
                    return result;
                }

                if (fills[i].Id >= minId)
                {
                    result.Add(fills[i]);
                }
            }
        }

        return result;
    }

    /// <summary>Prints with ordinal &gt;= fromOrdinal and ts &lt;= maxTs, oldest first.</summary>
    public static List<SimPrint> PrintsFromOrdinal(MarketGenerator market, long fromOrdinal, long maxTs, int limit)
    {
        ArgumentNullException.ThrowIfNull(market);
        var result = new List<SimPrint>(Math.Min(limit, 1000));
        var last = MarketGenerator.BlockOf(maxTs);
        if (fromOrdinal >= market.PrintBase(last + 1))
        {
            return result; // not traded yet
        }

        for (var block = market.BlockOfPrint(fromOrdinal); block <= last && result.Count < limit; block++)
        {
            var prints = market.Block(block).Prints.Span;
            for (var i = 0; i < prints.Length && result.Count < limit; i++)
            {
                if (prints[i].Ts > maxTs)
                {
                    return result;
                }

                if (prints[i].Ordinal >= fromOrdinal)
                {
                    result.Add(prints[i]);
                }
            }
        }

        return result;
    }

    /// <summary>Prints with fromTs &lt;= ts &lt;= toTs, oldest first, at most <paramref name="limit"/>.</summary>
    public static List<SimPrint> PrintsInTime(MarketGenerator market, long fromTs, long toTs, int limit)
    {
        ArgumentNullException.ThrowIfNull(market);
        var result = new List<SimPrint>(Math.Min(limit, 1000));
        for (var block = MarketGenerator.BlockOf(fromTs); block <= MarketGenerator.BlockOf(toTs) && result.Count < limit; block++)
        {
            var current = market.Block(block);
            var prints = current.Prints.Span;
            for (var i = current.FirstPrintAtOrAfter(fromTs); i < prints.Length && result.Count < limit; i++)
            {
                if (prints[i].Ts > toTs)
                {
                    return result;
                }

                result.Add(prints[i]);
            }
        }

        return result;
    }

    /// <summary>The latest <paramref name="limit"/> prints with ts &lt;= maxTs, oldest first.</summary>
    public static List<SimPrint> LatestPrints(MarketGenerator market, long maxTs, int limit)
    {
        ArgumentNullException.ThrowIfNull(market);
        var result = new List<SimPrint>(Math.Min(limit, 1000));
        var block = MarketGenerator.BlockOf(maxTs);
        var empty = 0;
        while (result.Count < limit && empty < MaxEmptyBlocks)
        {
            var prints = market.Block(block).Prints.Span;
            empty = prints.Length == 0 ? empty + 1 : 0;
            for (var i = prints.Length - 1; i >= 0 && result.Count < limit; i--)
            {
                if (prints[i].Ts <= maxTs)
                {
                    result.Add(prints[i]);
                }
            }

            block--;
        }

        result.Reverse();
        return result;
    }
}
