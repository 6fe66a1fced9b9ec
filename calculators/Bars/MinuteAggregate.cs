using System.Runtime.CompilerServices;
using Pipeline.Calculators.Raw;

namespace Pipeline.Calculators.Bars;

/// <summary>
/// The running aggregate of one minute's trades. Order independent: open/close are the trades
/// with the lowest/highest (ts, tradeId), so the result does not depend on line order in the file.
/// Per-second high/low feed maxMove5sBps.
/// </summary>
internal sealed class MinuteAggregate(long minute)
{
    public long Minute { get; } = minute;
    public decimal Open;
    public decimal High;
    public decimal Low;
    public decimal Close;
    public long OpenTs = long.MaxValue;
    public long CloseTs = long.MinValue;
    public TradeIdKey OpenId;
    public TradeIdKey CloseId;
    public long Trades;
    public decimal VolBase;
    public decimal VolQuote;
    public decimal BuyVol;
    public decimal SellVol;
    public decimal SumPx2Qty;
    public readonly decimal[] SecMax = new decimal[60];
    public readonly decimal[] SecMin = new decimal[60];
    public ulong SecMask;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot path: optimised at once, not after tiering
    public void Add(long ts, decimal px, decimal qty, bool buy, TradeIdKey id)
    {
        if (Trades == 0)
        {
            High = px;
            Low = px;
        }
        else
        {
            if (px > High)
            {
                High = px;
            }

            if (px < Low)
            {
                Low = px;
            }
        }

        if (ts < OpenTs || (ts == OpenTs && id.CompareTo(OpenId) < 0))
        {
            OpenTs = ts;
            OpenId = id;
            Open = px;
        }

        if (ts > CloseTs || (ts == CloseTs && id.CompareTo(CloseId) > 0))
        {
            CloseTs = ts;
            CloseId = id;
            Close = px;
        }

        Trades++;
        var pq = px * qty;
        VolBase += qty;
        VolQuote += pq;
        SumPx2Qty += pq * px;
        if (buy)
        {
            BuyVol += qty;
        }
        else
        {
            SellVol += qty;
        }

        var second = (int)((ts - Minute) / 1000);
        var bit = 1UL << second;
        if ((SecMask & bit) == 0)
        {
            SecMask |= bit;
            SecMax[second] = px;
            SecMin[second] = px;
        }
        else
        {
            if (px > SecMax[second])
            {
                SecMax[second] = px;
            }

            if (px < SecMin[second])
            {
                SecMin[second] = px;
            }
        }
    }

    public PendingMinute Save() => new()
    {
        Minute = Minute, Open = Open, High = High, Low = Low, Close = Close, OpenTs = OpenTs, CloseTs = CloseTs,
        OpenId = OpenId.ToString(), CloseId = CloseId.ToString(), Trades = Trades, VolBase = VolBase, VolQuote = VolQuote,
        BuyVol = BuyVol, SellVol = SellVol, SumPx2Qty = SumPx2Qty, Seconds = SecondsOf(SecMask, SecMax, SecMin, 0),
    };

    public static MinuteAggregate Load(PendingMinute saved)
    {
        var a = new MinuteAggregate(saved.Minute)
        {
            Open = saved.Open, High = saved.High, Low = saved.Low, Close = saved.Close, OpenTs = saved.OpenTs,
            CloseTs = saved.CloseTs, OpenId = TradeIdKey.Parse(saved.OpenId), CloseId = TradeIdKey.Parse(saved.CloseId),
            Trades = saved.Trades, VolBase = saved.VolBase, VolQuote = saved.VolQuote, BuyVol = saved.BuyVol,
            SellVol = saved.SellVol, SumPx2Qty = saved.SumPx2Qty,
        };
        foreach (var s in saved.Seconds)
        {
            a.SecMask |= 1UL << s.Second;
            a.SecMax[s.Second] = s.Max;
            a.SecMin[s.Second] = s.Min;
        }

        return a;
    }

    public static List<SecondRange> SecondsOf(ulong mask, decimal[] max, decimal[] min, int from)
    {
        var list = new List<SecondRange>();
        for (var s = from; s < 60; s++)
        {
            if ((mask & (1UL << s)) != 0)
            {
                list.Add(new SecondRange(s, max[s], min[s]));
            }
        }

        return list;
    }
}
