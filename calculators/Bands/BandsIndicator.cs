using System.Buffers;
using System.Globalization;
using System.Text;
using Pipeline.Calculators.Bars;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Windows;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Bands;

/// <summary>
/// bands: per window (1h, 4h, session) sigma = sqrt(max(0, Σpx²q/Σq − vwap²)), the volume-weighted
/// standard deviation of trade prices around the window's VWAP, and vwap ± k·sigma for each
/// configured multiplier k. Null when the window's VWAP is null, so with the same warm-up as the
/// window's VWAP: 60 minutes of bars for 1h, 240 for 4h, a whole session for session (<see cref="Outputs"/>).
/// </summary>
public sealed class BandsIndicator : IBarIndicator<WindowState>
{
    public const string Calc = "bands";
    private readonly int _sessionResetHour;
    private readonly decimal[] _multipliers;
    private readonly byte[][] _keys;
    private readonly WarmUp[] _windows = [RollingWindows.HourWarmUp, RollingWindows.FourHoursWarmUp, WarmUp.Session];

    public BandsIndicator(IReadOnlyList<decimal> multipliers, int sessionResetHour = 0)
    {
        ArgumentNullException.ThrowIfNull(multipliers);
        _sessionResetHour = sessionResetHour;
        _multipliers = [.. multipliers];
        string[] windows = ["1h", "4h", "Session"];
        var keys = new List<byte[]>();
        var outputs = new List<IndicatorOutput>();
        for (var i = 0; i < windows.Length; i++)
        {
            outputs.Add(new IndicatorOutput("sigma" + windows[i], _windows[i]));
        }

        for (var i = 0; i < windows.Length; i++)
        {
            foreach (var m in _multipliers)
            {
                var suffix = MultiplierSuffix(m);
                foreach (var side in (string[])["upper", "lower"])
                {
                    var key = side + windows[i] + "_" + suffix;
                    keys.Add(Encoding.ASCII.GetBytes(key));
                    outputs.Add(new IndicatorOutput(key, _windows[i]));
                }
            }
        }

        _keys = [.. keys];
        Outputs = outputs;
    }

    public string Name => Calc;

    public IReadOnlyList<IndicatorOutput> Outputs { get; }

    /// <summary>"1" for 1, "2p5" for 2.5: the multiplier as it appears in column names.</summary>
    public static string MultiplierSuffix(decimal multiplier) =>
        ExactDecimal.Format(multiplier).Replace('.', 'p').ToString(CultureInfo.InvariantCulture);

    public WindowState NewState() => RollingWindows.NewState();

    public void Apply(WindowState state, BarRecord bar, IBufferWriter<byte> output, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(bar);
        RollingWindows.Add(state, bar, _sessionResetHour);
        var line = MinuteLine.Begin(output, bar.Minute, exchange, instId);
        var w1 = RollingWindows.Warm(state, _windows[0]) ? state.H1 : null;
        var w4 = RollingWindows.Warm(state, _windows[1]) ? state.H4 : null;
        var ws = RollingWindows.Warm(state, _windows[2]) ? state.Session : null;
        var s1 = Sigma(w1);
        var s4 = Sigma(w4);
        var ss = Sigma(ws);
        line.Dec("sigma1h"u8, s1);
        line.Dec("sigma4h"u8, s4);
        line.Dec("sigmaSession"u8, ss);
        var k = 0;
        Bands(ref line, ref k, w1?.Vwap, s1);
        Bands(ref line, ref k, w4?.Vwap, s4);
        Bands(ref line, ref k, ws?.Vwap, ss);
        line.End();
    }

    /// <summary>
    /// Volume-weighted sigma of a window; null without volume. Σpx²q/Σq and vwap² carry 28 significant
    /// digits, so a variance below vwap²·1e-24 (sigma below vwap·1e-12) is rounding noise — inverse
    /// contracts' 28-digit quantities leave such residue even for identical prices — and counts as 0,
    /// as does a slightly negative one.
    /// </summary>
    public static decimal? Sigma(WindowSums? w)
    {
        if (w?.Vwap is not { } vwap)
        {
            return null;
        }

        var square = vwap * vwap;
        var variance = (w.P2q / w.Q) - square;
        return variance <= square * NoiseFloor ? 0m : DecimalMath.Sqrt(variance);
    }

    private const decimal NoiseFloor = 0.000000000000000000000001m; // 1e-24

    private void Bands(ref MinuteLine line, ref int k, decimal? vwap, decimal? sigma)
    {
        foreach (var m in _multipliers)
        {
            if (vwap is { } v && sigma is { } s)
            {
                line.Dec(_keys[k], v + (m * s));
                line.Dec(_keys[k + 1], v - (m * s));
            }
            else
            {
                line.Null(_keys[k]);
                line.Null(_keys[k + 1]);
            }

            k += 2;
        }
    }
}
