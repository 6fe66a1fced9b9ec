using System.Globalization;
using System.Text.Json;
using Pipeline.Calculators.Windows;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Strategies.VwapMeanReversion;

/// <summary>
/// VWAP mean reversion: LONG when close ≤ vwap − k·sigma and close &lt; vwap, SHORT when
/// close ≥ vwap + k·sigma and close &gt; vwap. Filters, in this order (the first that applies is
/// the reason): no VWAP/sigma yet, ADX warming up (null), ADX ≥ adxNoTrade, ADX ≥ adxMax, halt.
/// Halt: a minute H whose maxMove5sBps ≥ haltMoveBps blocks the entries of minutes H … H+9
/// (10-minute default): the decision of minute H+10, made at H+11m, may enter again — the halt
/// lasts exactly haltDuration from the moment it became known (the close of H). A later spike
/// restarts the halt.
/// </summary>
public sealed class VwapMeanReversionStrategy(VwapMeanReversionParameters parameters) : IStrategy
{
    public const string StrategyName = "vwap_mean_reversion";

    private long? _haltMinuteMs;
    private decimal _haltMoveBps;

    public string Name => StrategyName;

    public VwapMeanReversionParameters Parameters { get; } = parameters;

    /// <summary>Minute (Unix ms) of the last halting 5-second move, if any.</summary>
    public long? HaltMinuteMs => _haltMinuteMs;

    public StrategySignal Evaluate(MinuteInputs minute)
    {
        ArgumentNullException.ThrowIfNull(minute);
        if (minute.MaxMove5sBps >= Parameters.HaltMoveBps)
        {
            _haltMinuteMs = minute.MinuteMs;
            _haltMoveBps = minute.MaxMove5sBps;
        }

        if (minute.Vwap is not { } vwap || minute.Sigma is not { } sigma)
        {
            return new StrategySignal(SignalAction.None, NoBandsReason(minute), null, null);
        }

        var upper = vwap + (Parameters.BandMultiplier * sigma);
        var lower = vwap - (Parameters.BandMultiplier * sigma);
        string? blocked = null;
        if (minute.Adx is not { } adx)
        {
            blocked = minute.SeriesMinutes is { } bars
                ? $"adx warming up: {Count(Math.Min(bars, 2L * Parameters.AdxPeriod))} of {Count(2L * Parameters.AdxPeriod)} bars"
                : "adx warming up";
        }
        else if (adx >= Parameters.AdxNoTrade)
        {
            blocked = $"adx {Short(adx)} ≥ {Text(Parameters.AdxNoTrade)}: no trading";
        }
        else if (adx >= Parameters.AdxMax)
        {
            blocked = $"adx {Short(adx)} ≥ {Text(Parameters.AdxMax)}";
        }
        else if (_haltMinuteMs is { } halt && minute.MinuteMs < halt + (long)Parameters.HaltDuration.TotalMilliseconds)
        {
            blocked = $"halt: 5s move {Short(_haltMoveBps)} bps at {Clock(halt)}";
        }

        if (blocked is not null)
        {
            return new StrategySignal(SignalAction.None, blocked, upper, lower);
        }

        var close = minute.Close;
        if (close <= lower && close < vwap)
        {
            return new StrategySignal(SignalAction.EnterLong,
                $"close {Text(close)} ≤ lower band {Price(lower)} and < vwap {Price(vwap)}", upper, lower);
        }

        if (close >= upper && close > vwap)
        {
            return new StrategySignal(SignalAction.EnterShort,
                $"close {Text(close)} ≥ upper band {Price(upper)} and > vwap {Price(vwap)}", upper, lower);
        }

        return new StrategySignal(SignalAction.None, "close inside bands", upper, lower);
    }

    public JsonElement? SaveState() =>
        _haltMinuteMs is null
            ? null
            : JsonSerializer.SerializeToElement(new HaltMemory(_haltMinuteMs.Value, _haltMoveBps), HaltMemoryJson.Options);

    public void RestoreState(JsonElement? state)
    {
        _haltMinuteMs = null;
        _haltMoveBps = 0;
        if (state is { ValueKind: JsonValueKind.Object } element)
        {
            var memory = element.Deserialize<HaltMemory>(HaltMemoryJson.Options)
                ?? throw new JsonException("halt memory is null");
            _haltMinuteMs = memory.HaltMinuteMs;
            _haltMoveBps = memory.HaltMoveBps;
        }
    }

    /// <summary>
    /// Why there are no bands: the window is still warming up (with how far it has got), or it is warm and held no
    /// trades. A fresh run warms up for the window's length (1h: 60 minutes of bars) before it can decide anything.
    /// </summary>
    private string NoBandsReason(MinuteInputs minute)
    {
        var window = BandWindowText.Of(Parameters.BandWindow);
        int? length = Parameters.BandWindow switch
        {
            BandWindow.OneHour => RollingWindows.Hour,
            BandWindow.FourHours => RollingWindows.FourHours,
            _ => null,
        };
        var warming = minute.WindowWarm switch
        {
            false => true,
            true => false,
            null => length is { } l && minute.SeriesMinutes < l,
        };
        if (!warming)
        {
            return minute.WindowWarm == true
                ? $"no vwap/sigma: the {window} window has no trades"
                : $"no vwap/sigma for the {window} window";
        }

        if (length is not { } minutes)
        {
            return "warming up: the session window waits for the first whole session (the bars began mid-session)";
        }

        return minute.SeriesMinutes is { } n
            ? $"warming up: the {window} window has {Count(Math.Min(n, minutes))} of {Count(minutes)} minutes"
            : $"warming up: the {window} window needs {Count(minutes)} minutes of bars";
    }

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Indicator text for reasons: one decimal, truncated so "≥ 20" is never rounded into truth.</summary>
    internal static string Short(decimal value) => Text(Math.Round(value, 1, MidpointRounding.ToZero));

    private static string Price(decimal value) => Text(Math.Round(value, 8, MidpointRounding.ToEven));

    private static string Text(decimal value) => ExactDecimal.Format(value);

    private static string Clock(long ms) =>
        TradeTime.ToDateTimeOffset(ms).ToString("HH:mm", CultureInfo.InvariantCulture);

    private sealed record HaltMemory(long HaltMinuteMs, decimal HaltMoveBps);

    private static class HaltMemoryJson
    {
        public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
    }
}
