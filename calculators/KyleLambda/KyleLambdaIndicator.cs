using System.Buffers;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;

namespace Pipeline.Calculators.KyleLambda;

/// <summary>
/// kyle: Kyle's λ as the OLS slope of the minute's price change on its signed volume over the last
/// <see cref="Window"/> bars: y = close − previous close, x = buyVolBase − sellVolBase (taker side as recorded),
/// λ = (nΣxy − ΣxΣy)/(nΣx² − (Σx)²). The sums are exact decimals kept in a ring (add the new bar, subtract the leaving
/// one); only the final division rounds (28 significant digits, deterministic). Null until the window is full, and
/// when Σ has no variance in x (every bar of the window with the same signed volume, e.g. quiet minutes).
/// </summary>
public sealed class KyleLambdaIndicator : IBarIndicator<KyleLambdaState>
{
    public const string Calc = "kyle";

    public KyleLambdaIndicator(int window = 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 3);
        Window = window;
        // The first bar has no price change: the window is full at bar Window + 1.
        Outputs = [new("dp", WarmUp.Of(2)), new("signedVol", WarmUp.None), new("lambda", WarmUp.Of(window + 1))];
    }

    public int Window { get; }

    public string Name => Calc;

    public IReadOnlyList<IndicatorOutput> Outputs { get; }

    public KyleLambdaState NewState() => new();

    public void Apply(KyleLambdaState state, BarRecord bar, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(bar);
        var x = bar.BuyVolBase - bar.SellVolBase;
        decimal? dp = state.PrevClose is { } prev ? bar.Close - prev : null;
        state.PrevClose = bar.Close;
        decimal? lambda = null;
        if (dp is { } y)
        {
            state.Push(x, y, Window);
            lambda = state.Lambda(Window);
        }

        var line = MinuteLine.Begin(output, bar.Minute, exchange, instId);
        line.Dec("dp"u8, dp);
        line.Dec("signedVol"u8, x);
        line.Dec("lambda"u8, lambda);
        line.End();
    }
}

/// <summary>The last bars' (x, y) in a ring with their running sums.</summary>
public sealed class KyleLambdaState
{
    public decimal? PrevClose { get; set; }
    public List<decimal> X { get; set; } = [];
    public List<decimal> Y { get; set; } = [];
    public int Next { get; set; }
    public long Count { get; set; }
    public decimal SumX { get; set; }
    public decimal SumY { get; set; }
    public decimal SumXy { get; set; }
    public decimal SumXx { get; set; }

    public void Push(decimal x, decimal y, int window)
    {
        if (X.Count != window)
        {
            X = [.. Enumerable.Repeat(0m, window)];
            Y = [.. Enumerable.Repeat(0m, window)];
            Next = 0;
            Count = 0;
            SumX = SumY = SumXy = SumXx = 0;
        }

        var ox = X[Next];
        var oy = Y[Next];
        SumX += x - ox;
        SumY += y - oy;
        SumXy += (x * y) - (ox * oy);
        SumXx += (x * x) - (ox * ox);
        X[Next] = x;
        Y[Next] = y;
        Next = (Next + 1) % window;
        Count++;
    }

    public decimal? Lambda(int window)
    {
        if (Count < window)
        {
            return null;
        }

        var denominator = (window * SumXx) - (SumX * SumX);
        return denominator == 0 ? null : ((window * SumXy) - (SumX * SumY)) / denominator;
    }
}
