using System.Globalization;
using Pipeline.Calculators.Adx;
using Pipeline.Calculators.Contract;
using Pipeline.Calculators.KyleLambda;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Calculators.Windows;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;

namespace Pipeline.Jobs.Status;

/// <summary>
/// How far one warm-up of one calculator has got for an instrument: <paramref name="Have"/> of
/// <paramref name="Need"/> minutes (bars for adx), or for a session window whether the series covers the session
/// from its start (<paramref name="WarmFrom"/>: the next session start, when its outputs first have values).
/// </summary>
public sealed record WarmUpProgress(string Calc, string Window, long Have, long Need, string Unit, bool Warm, DateTimeOffset? WarmFrom);

/// <summary>
/// Each calculator's warm-up for one instrument, read from the declared warm-ups of its outputs
/// (<see cref="CalculatorRunner.Indicators"/>) and the series length in its saved state: how many minutes the
/// rolling windows cover (vwap, bands), how many bars adx has seen. cvd has no warm-up.
/// </summary>
public static class WarmUpStatus
{
    /// <summary>The progress of every warm-up, or null when no calculator has run for the instrument yet.</summary>
    public static IReadOnlyList<WarmUpProgress>? Read(VaultLayout vault, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var list = new List<WarmUpProgress>();
        var any = false;
        foreach (var indicator in CalculatorRunner.Indicators(new CalcOptions()))
        {
            var path = vault.CalcState(indicator.Name, exchange, instId);
            if (!File.Exists(path))
            {
                continue;
            }

            any = true;
            var warmUps = indicator.Outputs.Select(o => o.WarmUp).Where(w => w != WarmUp.None).Distinct().OrderBy(w => w.FromSessionStart).ThenBy(w => w.Minutes).ToList();
            if (warmUps.Count == 0)
            {
                list.Add(new WarmUpProgress(indicator.Name, "all", 0, 0, "min", true, null));
            }
            else if (indicator is AdxIndicator)
            {
                // A bar-count indicator: what gates a decision is the last output to warm up (adx after 2 × period bars).
                var bars = new StateFile<StageState<AdxState>>(path).Read()?.Indicator?.Index ?? 0;
                var need = warmUps.Max(w => w.Minutes);
                list.Add(new WarmUpProgress(indicator.Name, "adx", Math.Min(bars, need), need, "bars", bars >= need, null));
            }
            else if (indicator is KyleLambdaIndicator)
            {
                // Bars too: λ needs Window price changes, the first bar has none.
                var kyle = new StateFile<StageState<KyleLambdaState>>(path).Read()?.Indicator;
                var bars = kyle is null ? 0 : kyle.Count + (kyle.PrevClose is null ? 0 : 1);
                var need = warmUps.Max(w => w.Minutes);
                list.Add(new WarmUpProgress(indicator.Name, "lambda", Math.Min(bars, need), need, "bars", bars >= need, null));
            }
            else
            {
                var state = new StateFile<StageState<WindowState>>(path).Read()?.Indicator;
                list.AddRange(warmUps.Select(w => Window(indicator.Name, w, state)));
            }
        }

        return any ? list : null;
    }

    private static WarmUpProgress Window(string calc, WarmUp warmUp, WindowState? state)
    {
        var have = state is { FirstMinute: { } first, LastMinute: { } last } ? ((last - first) / MinuteTime.Ms) + 1 : 0;
        if (!warmUp.FromSessionStart)
        {
            var name = warmUp.Minutes % 60 == 0 ? (warmUp.Minutes / 60).ToString(CultureInfo.InvariantCulture) + "h" : warmUp.ToString();
            return new WarmUpProgress(calc, name, Math.Min(have, warmUp.Minutes), warmUp.Minutes, "min", state is not null && RollingWindows.Warm(state, warmUp), null);
        }

        var warm = state is not null && RollingWindows.Warm(state, warmUp);
        DateTimeOffset? from = warm || state is not { SessionStart: > long.MinValue } ? null
            : DateTimeOffset.FromUnixTimeMilliseconds(state.SessionStart).AddDays(1);
        return new WarmUpProgress(calc, "session", 0, 0, "session", warm, from);
    }

    /// <summary>"warming up: vwap 1h 23/60 min, 4h 23/240 min, session from 2026-12-01 00:00; bands …; cvd none; adx 10/28 bars", or "all warm".</summary>
    public static string Text(IReadOnlyList<WarmUpProgress> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        if (progress.All(p => p.Warm))
        {
            return "all warm";
        }

        return "warming up: " + string.Join("; ", progress.GroupBy(p => p.Calc).Select(g => g.Key + " " + string.Join(", ", g.Select(Part))));
    }

    private static string Part(WarmUpProgress p) => p switch
    {
        { Window: "all" } => "none",
        { Warm: true } => (p.Window == p.Calc ? string.Empty : p.Window + " ") + "warm",
        { Unit: "session", WarmFrom: { } from } => "session from " + from.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
        { Unit: "session" } => "session waiting",
        _ => string.Create(CultureInfo.InvariantCulture, $"{(p.Window == p.Calc ? string.Empty : p.Window + " ")}{p.Have}/{p.Need} {p.Unit}"),
    };
}
