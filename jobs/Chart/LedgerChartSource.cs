using System.Globalization;
using System.Text.Json;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Chart;

/// <summary>
/// The price chart of a paper/live strategy from the vault: fills and orders from ledger/{strategy}/,
/// the minutes from the strategy's own decision records derived/signals/{strategy}/{exchange}/{instId}/
/// (close, VWAP and bands exactly as it decided on them). Days without decision records fall back to the
/// calculators' derived/bars_1m close, derived/vwap vwap1h and derived/bands sigma1h, with bands at
/// VWAP ± <see cref="FallbackBandMultiplier"/> σ (the strategy's default).
/// </summary>
public static class LedgerChartSource
{
    public const decimal FallbackBandMultiplier = 1.5m;

    /// <summary>The strategy's exchange and instrument: as given, else the only one it has decision records for.</summary>
    public static (string Exchange, string InstId) Instrument(VaultLayout vault, string strategy, string? exchange, string? instId)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var ledger = vault.LedgerStrategyDir(strategy);
        if (!Directory.Exists(ledger))
        {
            var known = Directory.Exists(vault.LedgerDir)
                ? string.Join(", ", Directory.EnumerateDirectories(vault.LedgerDir).Select(Path.GetFileName).Order(StringComparer.Ordinal))
                : "";
            throw new UsageException($"--strategy {strategy}: no ledger at {ledger} ({(known.Length > 0 ? "strategies with a ledger: " + known : "no strategy has traded in this vault yet")})");
        }

        if (exchange is not null && instId is not null)
        {
            return (exchange, instId);
        }

        var signals = Path.Combine(vault.DerivedDir, "signals", VaultNames.Name(strategy));
        var pairs = Directory.Exists(signals)
            ? Directory.EnumerateDirectories(signals).SelectMany(e => Directory.EnumerateDirectories(e).Select(i => (Path.GetFileName(e), Path.GetFileName(i))))
                .Where(p => (exchange is null || p.Item1 == exchange) && (instId is null || p.Item2 == instId)).ToList()
            : [];
        return pairs.Count == 1 ? pairs[0]
            : throw new UsageException(pairs.Count == 0
                ? $"--strategy {strategy}: no decision records under {signals} to tell its instrument; give --exchange and --inst"
                : $"--strategy {strategy} traded {string.Join(", ", pairs.Select(p => p.Item1 + "/" + p.Item2))}; choose one with --exchange and --inst");
    }

    /// <summary>The days with minutes for the strategy's instrument (decision records or bars_1m), oldest first.</summary>
    public static IReadOnlyList<DateOnly> Days(VaultLayout vault, string strategy, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var signalDays = VaultLayout.ListDays(Path.GetDirectoryName(vault.SignalsDay(strategy, exchange, instId, DateOnly.MinValue))!);
        return [.. signalDays.Concat(VaultLayout.ListDays(vault.DerivedInstrumentDir("bars_1m", exchange, instId))).Distinct().Order()];
    }

    /// <summary>The chart data of [fromMs, toMs): minutes of the days touching the range, every fill and stop/take-profit order of the ledger.</summary>
    public static ChartData Load(VaultLayout vault, string strategy, string exchange, string instId, long fromMs, long toMs)
    {
        ArgumentNullException.ThrowIfNull(vault);
        var minutes = new SortedDictionary<long, ChartMinute>();
        for (var day = TradeTime.Day(fromMs); day <= TradeTime.Day(toMs - 1); day = day.AddDays(1))
        {
            var signals = vault.SignalsDay(strategy, exchange, instId, day);
            if (File.Exists(signals))
            {
                foreach (var m in ReadSignals(signals))
                {
                    minutes[m.MinuteMs] = m;
                }
            }
            else
            {
                foreach (var m in ReadDerived(vault, exchange, instId, day))
                {
                    minutes.TryAdd(m.MinuteMs, m);
                }
            }
        }

        var fills = LedgerReader.ReadFills(vault, strategy);
        var orders = ReadOrders(vault.LedgerOrders(strategy));
        var last = minutes.Count == 0 ? toMs : minutes.Keys.Max() + TradeTime.MsPerMinute;
        return ChartData.From($"{strategy} on {exchange}/{instId} (paper ledger)", instId, [.. minutes.Values], fills, orders, last);
    }

    private static List<ChartMinute> ReadSignals(string path)
    {
        var minutes = new List<ChartMinute>();
        using var reader = JsonlReader.Open(path);
        while (reader.TryReadLine(out var line, out var offset))
        {
            try
            {
                using var doc = JsonDocument.Parse(line.ToArray());
                var r = doc.RootElement;
                minutes.Add(new ChartMinute(Minute(r.GetProperty("minute").GetString()!), Dec(r, "close") ?? throw new FormatException("no close"),
                    Dec(r, "vwap"), Dec(r, "upper"), Dec(r, "lower")));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}@{offset}: not a decision record ({ex.Message})", ex);
            }
        }

        return minutes;
    }

    private static List<ChartMinute> ReadDerived(VaultLayout vault, string exchange, string instId, DateOnly day)
    {
        var bars = Field(vault, "bars_1m", exchange, instId, day, "close");
        var vwap = Field(vault, "vwap", exchange, instId, day, "vwap1h");
        var sigma = Field(vault, "bands", exchange, instId, day, "sigma1h");
        return [.. bars.Where(b => b.Value is not null).Select(b =>
        {
            var v = vwap.GetValueOrDefault(b.Key);
            var s = sigma.GetValueOrDefault(b.Key);
            return new ChartMinute(b.Key, b.Value!.Value, v, v + (FallbackBandMultiplier * s), v - (FallbackBandMultiplier * s));
        })];
    }

    private static Dictionary<long, decimal?> Field(VaultLayout vault, string calc, string exchange, string instId, DateOnly day, string field)
    {
        var values = new Dictionary<long, decimal?>();
        var path = vault.DerivedDay(calc, exchange, instId, day);
        if (!File.Exists(path))
        {
            if (File.Exists(vault.DerivedDayParquet(calc, exchange, instId, day)))
            {
                throw new InvalidOperationException(
                    $"{calc} for {day:yyyy-MM-dd} exists only as Parquet ({vault.DerivedDayParquet(calc, exchange, instId, day)}); the chart reads the strategy's decision records or JSONL minutes — chart that day from a backtest (`pipeline backtest`, then `pipeline chart --backtest DIR`)");
            }

            return values;
        }

        using var reader = JsonlReader.Open(path);
        while (reader.TryReadLine(out var line, out var offset))
        {
            try
            {
                using var doc = JsonDocument.Parse(line.ToArray());
                var r = doc.RootElement;
                values[Minute(r.GetProperty("minute").GetString()!)] = Dec(r, field);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}@{offset}: not a {calc} minute ({ex.Message})", ex);
            }
        }

        return values;
    }

    private static List<OrderEvent> ReadOrders(string path)
    {
        var orders = new List<OrderEvent>();
        if (!File.Exists(path))
        {
            return orders;
        }

        using var reader = JsonlReader.Open(path);
        while (reader.TryReadLine(out var line, out var offset))
        {
            try
            {
                using var doc = JsonDocument.Parse(line.ToArray());
                var r = doc.RootElement;
                string? Str(string name) => r.GetProperty(name).ValueKind == JsonValueKind.Null ? null : r.GetProperty(name).GetString();
                orders.Add(new OrderEvent(r.GetProperty("ts").GetInt64(), Str("orderId")!, Str("positionId"), Str("event")!, Str("kind")!,
                    Str("side")!, Str("type")!, Dec(r, "px") ?? 0, Dec(r, "qty") ?? 0,
                    r.GetProperty("expiresTs").ValueKind == JsonValueKind.Null ? null : r.GetProperty("expiresTs").GetInt64(), Str("reason") ?? ""));
            }
            catch (Exception ex) when (ex is JsonException or FormatException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}@{offset}: not an order line ({ex.Message})", ex);
            }
        }

        return orders;
    }

    private static long Minute(string iso) =>
        DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).ToUnixTimeMilliseconds();

    private static decimal? Dec(JsonElement r, string name) =>
        !r.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
        : v.ValueKind == JsonValueKind.Number ? v.GetDecimal() : ExactDecimal.Parse(v.GetString()!);
}
