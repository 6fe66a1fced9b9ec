using System.Buffers;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;

namespace Pipeline.Calculators.Adx;

/// <summary>
/// adx: Wilder's directional movement exactly as TA-Lib computes it (ta_ADX.c, ta_PLUS_DI.c,
/// ta_ATR.c), in decimal. With period p and bar index i from the series start:
/// tr/±dm from i = 1; ±DM and TR sums over bars 1..p−1, then from i = p each step
/// S = S − S/p + x; ±DI = 100·S±/Str and DX = 100·|DI+ − DI−|/(DI+ + DI−) from i = p;
/// ADX = mean of DX over i = p..2p−1, then (ADX·(p−1) + DX)/p; ATR = mean of TR over 1..p, then
/// (ATR·(p−1) + TR)/p. TA-Lib's zero test (|x| &lt; 1e-14) is kept: a zero smoothed TR gives
/// DI = 0; when TR or DI+ + DI− is zero, DX repeats its previous value (0 on its first bar) and
/// ADX keeps its value. Warm-up in bars (<see cref="Outputs"/>): tr/±dm 2, atr/±DI/dx p + 1, adx 2p.
/// </summary>
public sealed class AdxIndicator(int period = 14) : IBarIndicator<AdxState>
{
    public const string Calc = "adx";
    private static readonly decimal Epsilon = 0.00000000000001m; // TA-Lib's TA_IS_ZERO: |x| < 1e-14

    public string Name => Calc;

    public int Period => period;

    public IReadOnlyList<IndicatorOutput> Outputs { get; } =
    [
        new("tr", WarmUp.Of(2)), new("plusDm", WarmUp.Of(2)), new("minusDm", WarmUp.Of(2)),
        new("atr", WarmUp.Of(period + 1)), new("plusDi", WarmUp.Of(period + 1)), new("minusDi", WarmUp.Of(period + 1)),
        new("dx", WarmUp.Of(period + 1)), new("adx", WarmUp.Of(2 * period)),
    ];

    public AdxState NewState() => new();

    public void Apply(AdxState s, BarRecord bar, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(bar);
        var r = Step(s, bar.High, bar.Low, bar.Close);
        var line = MinuteLine.Begin(output, bar.Minute, exchange, instId);
        line.Dec("tr"u8, r.Tr);
        line.Dec("plusDm"u8, r.PlusDm);
        line.Dec("minusDm"u8, r.MinusDm);
        line.Dec("atr"u8, r.Atr);
        line.Dec("plusDi"u8, r.PlusDi);
        line.Dec("minusDi"u8, r.MinusDi);
        line.Dec("dx"u8, r.Dx);
        line.Dec("adx"u8, r.Adx);
        line.End();
    }

    /// <summary>Advances the state by one bar and returns its values (null while warming up).</summary>
    public AdxValues Step(AdxState s, decimal high, decimal low, decimal close)
    {
        ArgumentNullException.ThrowIfNull(s);
        var i = s.Index;
        s.Index++;
        if (i == 0)
        {
            s.PrevHigh = high;
            s.PrevLow = low;
            s.PrevClose = close;
            return new AdxValues();
        }

        var diffP = high - s.PrevHigh;
        var diffM = s.PrevLow - low;
        decimal plusDm = 0, minusDm = 0;
        if (diffM > 0 && diffP < diffM)
        {
            minusDm = diffM;
        }
        else if (diffP > 0 && diffP > diffM)
        {
            plusDm = diffP;
        }

        var tr = Math.Max(high - low, Math.Max(Math.Abs(high - s.PrevClose), Math.Abs(low - s.PrevClose)));
        s.PrevHigh = high;
        s.PrevLow = low;
        s.PrevClose = close;

        var values = new AdxValues { Tr = tr, PlusDm = plusDm, MinusDm = minusDm };

        // ATR: simple mean of the first p true ranges, then Wilder.
        if (i <= period)
        {
            s.SumTr += tr;
            if (i == period)
            {
                s.Atr = s.SumTr / period;
            }
        }
        else
        {
            s.Atr = ((s.Atr * (period - 1)) + tr) / period;
        }

        if (i >= period)
        {
            values = values with { Atr = s.Atr };
        }

        // ±DM and TR: sums over bars 1..p−1, then S − S/p + x from bar p on.
        if (i < period)
        {
            s.SmPlus += plusDm;
            s.SmMinus += minusDm;
            s.SmTr += tr;
            return values;
        }

        s.SmPlus = s.SmPlus - (s.SmPlus / period) + plusDm;
        s.SmMinus = s.SmMinus - (s.SmMinus / period) + minusDm;
        s.SmTr = s.SmTr - (s.SmTr / period) + tr;
        decimal plusDi = 0, minusDi = 0, dx = i == period ? 0 : s.Dx;
        var dxValid = false;
        if (!IsZero(s.SmTr))
        {
            plusDi = 100m * (s.SmPlus / s.SmTr);
            minusDi = 100m * (s.SmMinus / s.SmTr);
            var sum = plusDi + minusDi;
            if (!IsZero(sum))
            {
                dx = 100m * (Math.Abs(minusDi - plusDi) / sum);
                dxValid = true;
            }
        }

        s.Dx = dx;
        values = values with { PlusDi = plusDi, MinusDi = minusDi, Dx = dx };
        if (i < (2 * period) - 1)
        {
            s.SumDx += dxValid ? dx : 0;
            return values;
        }

        if (i == (2 * period) - 1)
        {
            s.SumDx += dxValid ? dx : 0;
            s.Adx = s.SumDx / period;
        }
        else if (dxValid)
        {
            s.Adx = ((s.Adx * (period - 1)) + dx) / period;
        }

        return values with { Adx = s.Adx };
    }

    private static bool IsZero(decimal v) => v > -Epsilon && v < Epsilon;
}

/// <summary>One bar's ADX family values; null while warming up.</summary>
public readonly record struct AdxValues(
    decimal? Tr, decimal? PlusDm, decimal? MinusDm, decimal? Atr, decimal? PlusDi, decimal? MinusDi, decimal? Dx, decimal? Adx);

public sealed class AdxState
{
    /// <summary>Bars seen since the series start.</summary>
    public long Index { get; set; }
    public decimal PrevHigh { get; set; }
    public decimal PrevLow { get; set; }
    public decimal PrevClose { get; set; }
    public decimal SumTr { get; set; }
    public decimal Atr { get; set; }
    public decimal SmPlus { get; set; }
    public decimal SmMinus { get; set; }
    public decimal SmTr { get; set; }
    public decimal SumDx { get; set; }
    public decimal Dx { get; set; }
    public decimal Adx { get; set; }
}
