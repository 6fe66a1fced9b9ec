using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Jobs.Chart;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Backtest;

/// <summary>
/// The price chart of a backtest: in memory right after the run, or later from its report directory
/// (report.json for the instrument, fills and orders; minutes.csv for close, VWAP and bands).
/// </summary>
public static class BacktestChartSource
{
    public const string MinutesFile = "minutes.csv";
    private const string Header = "minute,close,vwap,upper,lower";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static ChartData Data(BacktestRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var last = run.Series.Count == 0 ? TradeTime.DayStartMs(run.To.AddDays(1)) : run.Series[^1].MinuteMs + TradeTime.MsPerMinute;
        return ChartData.From($"{run.Config.Id} on {run.Config.Exchange}/{run.Config.InstId} (backtest)", run.Config.InstId,
            run.Series, run.Sink.Fills, run.Sink.Orders, last);
    }

    /// <summary>minute (ISO, UTC), close, vwap, upper, lower: exact decimals, empty while the window is empty.</summary>
    public static string MinutesCsv(IReadOnlyList<ChartMinute> series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var csv = new StringBuilder(Header).Append('\n');
        foreach (var m in series)
        {
            csv.Append(LedgerJson.MinuteIso(m.MinuteMs)).Append(',').Append(ExactDecimal.Format(m.Close)).Append(',')
                .Append(Opt(m.Vwap)).Append(',').Append(Opt(m.Upper)).Append(',').Append(Opt(m.Lower)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>The chart data of the report directory <paramref name="dir"/>, with the run's exchange and instrument.</summary>
    public static (ChartData Data, string Exchange, string InstId) Load(string dir)
    {
        var report = Path.Combine(dir, "report.json");
        if (!File.Exists(report))
        {
            var nested = Directory.Exists(dir) ? Directory.GetFiles(dir, "report.json", SearchOption.AllDirectories) : [];
            throw new UsageException(nested.Length > 0
                ? $"--backtest {dir}: a sweep or multi-instrument report; name one run's directory, e.g. {Path.GetDirectoryName(nested[0])}"
                : $"--backtest {dir}: no report.json there (a directory written by `pipeline backtest --report DIR`)");
        }

        var minutesPath = Path.Combine(dir, MinutesFile);
        if (!File.Exists(minutesPath))
        {
            throw new InvalidDataException($"{minutesPath} is missing: this report was written before price charts; run the backtest again");
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(report));
        var root = doc.RootElement;
        string Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!
            : throw new InvalidDataException($"{report}: no '{name}'");
        var exchange = Text("exchange");
        var instId = Text("instId");
        var fills = root.TryGetProperty("fills", out var f) ? f.Deserialize<List<FillEvent>>(Json) ?? [] : [];
        var orders = root.TryGetProperty("orders", out var o) ? o.Deserialize<List<OrderEvent>>(Json) ?? [] : [];
        var minutes = ReadMinutes(minutesPath);
        var last = minutes.Count == 0 ? 0 : minutes[^1].MinuteMs + TradeTime.MsPerMinute;
        var data = ChartData.From($"{Text("strategy")} on {exchange}/{instId} (backtest {Text("from")} to {Text("to")})", instId, minutes, fills, orders, last);
        return (data, exchange, instId);
    }

    private static List<ChartMinute> ReadMinutes(string path)
    {
        var minutes = new List<ChartMinute>();
        var lineNo = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNo++;
            if (lineNo == 1)
            {
                if (line != Header)
                {
                    throw new InvalidDataException($"{path}:1: expected the header '{Header}'");
                }

                continue;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var cells = line.Split(',');
            if (cells.Length != 5 || !DateTimeOffset.TryParse(cells[0], CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var minute) ||
                Dec(cells[1]) is not { } close)
            {
                throw new InvalidDataException($"{path}:{lineNo}: not 'minute,close,vwap,upper,lower'");
            }

            minutes.Add(new ChartMinute(minute.ToUnixTimeMilliseconds(), close, Cell(cells[2]), Cell(cells[3]), Cell(cells[4])));
        }

        return minutes;

        decimal? Cell(string cell) => cell.Length == 0 ? null
            : Dec(cell) ?? throw new InvalidDataException($"{path}:{lineNo}: '{cell}' is not a decimal");
    }

    private static decimal? Dec(string text)
    {
        try
        {
            return ExactDecimal.Parse(text);
        }
        catch (FormatException)
        {
            return null;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static string Opt(decimal? value) => value is { } v ? ExactDecimal.Format(v) : "";
}
