using System.Globalization;
using System.Text.Json;
using Pipeline.Jobs.Strategies;
using Pipeline.Jobs.Strategies.VwapMeanReversion;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;
using Serilog;

namespace Pipeline.Jobs.Execution.Live;

/// <summary>
/// Reads the calculators' minute records (bars_1m, vwap, bands, adx) for one instrument and joins
/// them by minute into <see cref="MinuteInputs"/>. Only minutes every calculator has written are
/// returned, up to the oldest "latest minute" among them, so a lagging calculator simply holds the
/// executor back. Field names come from <see cref="MinuteFieldMap"/>.
/// <para>With <paramref name="micro"/> (a strategy that uses them) it also joins kyle and the microstructure outputs (ofi,
/// microprice, vpin, bookdepth) into <see cref="MinuteInputs.Micro"/> and <see cref="MinuteInputs.KyleLambda"/>: optional
/// (a minute they have not written gets null), but on a day whose quotes or book are recorded the micro outputs hold
/// the executor back like the others, so a pass never decides a minute before its micro line exists (also when the
/// micro stage failed and lags) — and a backtest, which reads after every calculator has run, sees the same values.
/// On a day without quotes or book (recording stopped, or not started) later minutes go on with null micro values
/// rather than wait for ever.</para>
/// </summary>
public sealed class MinuteRecordReader(VaultLayout vault, string exchange, string instId, BandWindow window, MinuteFieldMap? map = null,
    bool micro = false)
{
    private readonly MinuteFieldMap _map = map ?? MinuteFieldMap.Default;

    /// <summary>The reader of a strategy's minutes, the same for `pipeline signal` and backtest: its band window and whether it reads micro.</summary>
    public static MinuteRecordReader For(VaultLayout vault, StrategyConfig config, MinuteFieldMap? map = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var window = config.Parameters is VwapMeanReversionParameters p ? p.BandWindow : BandWindow.OneHour;
        return new MinuteRecordReader(vault, config.Exchange, config.InstId, window, map, config.UsesMicro);
    }

    /// <summary>Lines that could not be used (bad JSON, missing minute or field), by file and offset.</summary>
    public List<LineIssue> Issues { get; } = [];

    /// <summary>True when the last read stopped at <c>maxDays</c> and later bars_1m days exist.</summary>
    public bool MoreDays { get; private set; }

    /// <summary>
    /// Joined minutes after <paramref name="afterMinuteMs"/> (all when null, or from
    /// <paramref name="fromMinuteMs"/> on), in minute order, from at most <paramref name="maxDays"/>
    /// day files (the first days with bars_1m output from the start on), so a long catch-up works in
    /// bounded memory; <see cref="MoreDays"/> says whether to read again.
    /// </summary>
    public List<MinuteInputs> ReadAfter(long? afterMinuteMs, long? fromMinuteMs = null, int maxDays = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxDays, 1);
        var start = afterMinuteMs is { } after ? after + TradeTime.MsPerMinute : fromMinuteMs ?? long.MinValue;
        var startDay = start == long.MinValue ? DateOnly.MinValue : TradeTime.Day(start);
        var barDays = VaultLayout.ListDays(vault.DerivedInstrumentDir(_map.BarsCalc, exchange, instId)).Where(d => d >= startDay).ToList();
        MoreDays = barDays.Count > maxDays;
        var days = barDays.Take(maxDays).ToHashSet();
        var bars = ReadCalc(_map.BarsCalc, start, days, [_map.CloseField, _map.MaxMove5sBpsField]);
        var vwap = ReadCalc(_map.VwapCalc, start, days, [_map.VwapField(window), Optional + _map.TradesField(window)]);
        var bands = ReadCalc(_map.BandsCalc, start, days, [_map.SigmaField(window)]);
        var adx = ReadCalc(_map.AdxCalc, start, days, [_map.AdxField]);
        if (bars.Count == 0 || vwap.Count == 0 || bands.Count == 0 || adx.Count == 0)
        {
            return [];
        }

        var horizons = new List<long> { bars.Keys.Max(), vwap.Keys.Max(), bands.Keys.Max(), adx.Keys.Max() };
        var extra = micro ? ReadMicro(start, days, horizons) : null;
        var horizon = horizons.Min();
        var result = new List<MinuteInputs>();
        var seriesStart = FirstBarMinute();
        foreach (var minute in bars.Keys.Where(m => m <= horizon).Order())
        {
            var bar = bars[minute];
            if (!vwap.TryGetValue(minute, out var v) || !bands.TryGetValue(minute, out var b) || !adx.TryGetValue(minute, out var a))
            {
                Log.Warning("Minute {Minute} of {Exchange}/{InstId} is missing in a calculator output; skipped",
                    Ledger.LedgerJson.MinuteIso(minute), exchange, instId);
                continue;
            }

            if (bar[0] is not { } close)
            {
                Log.Warning("Minute {Minute} has no close; skipped", Ledger.LedgerJson.MinuteIso(minute));
                continue;
            }

            result.Add(new MinuteInputs(minute, close, v[0], b[0], a[0], bar[1] ?? 0m)
            {
                SeriesMinutes = seriesStart is { } first && minute >= first ? ((minute - first) / TradeTime.MsPerMinute) + 1 : null,
                WindowWarm = v[1] == Absent ? null : v[1] is not null,
                Micro = extra?.Micro(minute),
                KyleLambda = extra?.Kyle.TryGetValue(minute, out var k) == true ? k[0] : null,
            });
        }

        return result;
    }

    /// <summary>
    /// Reads kyle and the micro outputs. The micro outputs join the horizon when the last day read has quotes or book
    /// recorded (the micro stage must catch up with them), kyle when it has written that day.
    /// </summary>
    private MicroColumns ReadMicro(long start, HashSet<DateOnly> days, List<long> horizons)
    {
        var columns = new MicroColumns(
            ReadCalc(_map.KyleCalc, start, days, [_map.KyleLambdaField]),
            ReadCalc(_map.OfiCalc, start, days, [_map.OfiField, Optional + _map.OfiZField]),
            ReadCalc(_map.MicroPriceCalc, start, days,
                [_map.MicroPriceField, _map.ImbalanceField, _map.DivergenceBpsField, Optional + _map.DivergenceZField]),
            ReadCalc(_map.VpinCalc, start, days, [_map.VpinField]),
            ReadCalc(_map.BookDepthCalc, start, days, [_map.BidDepthField, _map.AskDepthField]));
        var lastDay = days.Max();
        if (columns.Kyle.Count > 0 && File.Exists(vault.DerivedDay(_map.KyleCalc, exchange, instId, lastDay)))
        {
            horizons.Add(columns.Kyle.Keys.Max());
        }

        if (MicroRecorded(lastDay))
        {
            foreach (var values in new[] { columns.Ofi, columns.Price, columns.Vpin, columns.Depth })
            {
                // Nothing written yet on a recorded day: hold everything back until the micro stage has run.
                horizons.Add(values.Count > 0 ? values.Keys.Max() : long.MinValue);
            }
        }

        return columns;
    }

    /// <summary>Whether quotes or book lines are recorded for <paramref name="day"/> (JSONL or compacted Parquet).</summary>
    private bool MicroRecorded(DateOnly day) =>
        new[] { MicroKind.Quotes, MicroKind.Book }
            .Select(kind => vault.MicroDayJsonl(kind, exchange, instId, day))
            .Any(jsonl => File.Exists(jsonl) || File.Exists(Path.ChangeExtension(jsonl, ".parquet")));

    private sealed record MicroColumns(
        Dictionary<long, decimal?[]> Kyle,
        Dictionary<long, decimal?[]> Ofi,
        Dictionary<long, decimal?[]> Price,
        Dictionary<long, decimal?[]> Vpin,
        Dictionary<long, decimal?[]> Depth)
    {
        /// <summary>The minute's micro values; null when the micro stage wrote none of its outputs for it.</summary>
        public MicroInputs? Micro(long minute)
        {
            var ofi = Ofi.GetValueOrDefault(minute);
            var price = Price.GetValueOrDefault(minute);
            var vpin = Vpin.GetValueOrDefault(minute);
            var depth = Depth.GetValueOrDefault(minute);
            if (ofi is null && price is null && vpin is null && depth is null)
            {
                return null;
            }

            return new MicroInputs
            {
                Ofi = ofi?[0], OfiZ = Present(ofi?[1]),
                MicroPrice = price?[0], Imbalance = price?[1], DivergenceBps = price?[2], DivergenceZ = Present(price?[3]),
                Vpin = vpin?[0], BidDepth = depth?[0], AskDepth = depth?[1],
            };
        }

        private static decimal? Present(decimal? value) => value == Absent ? null : value;
    }

    /// <summary>The first minute of the bar series (the first line of the first bars_1m day), for warm-up progress; null when unreadable.</summary>
    private long? FirstBarMinute()
    {
        var dir = vault.DerivedInstrumentDir(_map.BarsCalc, exchange, instId);
        var days = VaultLayout.ListDays(dir);
        if (days.Count == 0 || !File.Exists(vault.DerivedDay(_map.BarsCalc, exchange, instId, days[0])))
        {
            return null;
        }

        using var reader = JsonlReader.Open(vault.DerivedDay(_map.BarsCalc, exchange, instId, days[0]));
        return reader.TryReadLine(out var line, out _) && TryParse(line, [], out var minute, out _, out _) ? minute : null;
    }

    /// <summary>Prefix of a field a line may lack (written by older or other producers); its value is then <see cref="Absent"/>.</summary>
    private const string Optional = "?";

    /// <summary>The value of an absent optional field: a trade count is never negative.</summary>
    private const decimal Absent = decimal.MinValue;

    private Dictionary<long, decimal?[]> ReadCalc(string calc, long startMinuteMs, HashSet<DateOnly> days, string[] fields)
    {
        var values = new Dictionary<long, decimal?[]>();
        var dir = vault.DerivedInstrumentDir(calc, exchange, instId);
        foreach (var day in VaultLayout.ListDays(dir).Where(days.Contains))
        {
            var path = vault.DerivedDay(calc, exchange, instId, day);
            if (!File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"{calc} for {day:yyyy-MM-dd} exists only as Parquet ({vault.DerivedDayParquet(calc, exchange, instId, day)}); the live executor reads JSONL — replay that day with `pipeline backtest`");
            }

            using var reader = JsonlReader.Open(path);
            while (reader.TryReadLine(out var line, out var offset))
            {
                if (TryParse(line, fields, out var minute, out var row, out var error))
                {
                    if (minute >= startMinuteMs)
                    {
                        values[minute] = row;
                    }
                }
                else
                {
                    Issues.Add(new LineIssue(path, offset, error));
                    Log.Warning("Unusable line {Path}@{Offset}: {Reason}", path, offset, error);
                }
            }
        }

        return values;
    }

    private bool TryParse(ReadOnlySpan<byte> line, string[] fields, out long minute, out decimal?[] row, out string error)
    {
        minute = 0;
        row = new decimal?[fields.Length];
        var found = new bool[fields.Length];
        var hasMinute = false;
        try
        {
            var reader = new Utf8JsonReader(line);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "not a JSON object";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (name == _map.MinuteField)
                {
                    if (reader.TokenType != JsonTokenType.String ||
                        !DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture,
                            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
                    {
                        error = $"'{_map.MinuteField}' is not an ISO time";
                        return false;
                    }

                    minute = time.ToUnixTimeMilliseconds();
                    hasMinute = true;
                    continue;
                }

                var index = Array.FindIndex(fields, f => f == name || (f.StartsWith(Optional, StringComparison.Ordinal) && f.AsSpan(1).SequenceEqual(name)));
                if (index < 0)
                {
                    reader.Skip();
                    continue;
                }

                found[index] = true;
                switch (reader.TokenType)
                {
                    case JsonTokenType.Null:
                        row[index] = null;
                        break;
                    case JsonTokenType.Number:
                        row[index] = reader.GetDecimal();
                        break;
                    case JsonTokenType.String when ExactDecimal.TryParse(reader.ValueSpan, out var value):
                        row[index] = value;
                        break;
                    default:
                        error = $"'{name}' is not a decimal";
                        return false;
                }
            }
        }
        catch (JsonException ex)
        {
            error = "invalid JSON: " + ex.Message;
            return false;
        }
        catch (FormatException ex)
        {
            error = ex.Message;
            return false;
        }

        for (var i = 0; i < fields.Length; i++)
        {
            if (!found[i] && fields[i].StartsWith(Optional, StringComparison.Ordinal))
            {
                found[i] = true;
                row[i] = Absent;
            }
        }

        var missing = Array.IndexOf(found, false);
        error = !hasMinute ? $"missing '{_map.MinuteField}'" : missing >= 0 ? $"missing '{fields[missing]}'" : string.Empty;
        return error.Length == 0;
    }
}
