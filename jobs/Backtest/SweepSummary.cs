using System.Globalization;
using System.Text;

namespace Pipeline.Jobs.Backtest;

/// <summary>
/// One row per parameter set of a sweep, best first: sweep.csv (for a spreadsheet) and sweep.md (to read),
/// written into the sweep's report directory. Sorted by net return after fees (descending), then max
/// drawdown in % of notional (ascending: of two equal returns the smoother first), then instrument and
/// parameters as written.
/// </summary>
public static class SweepSummary
{
    public const string SortKey = "net return after fees (descending), then max drawdown % (ascending), then instrument and parameters";

    public static IReadOnlyList<(string Dir, BacktestRun Run)> Sorted(IEnumerable<(string Dir, BacktestRun Run)> runs) =>
        [.. (runs ?? throw new ArgumentNullException(nameof(runs)))
            .OrderByDescending(r => r.Run.Report.NetReturnPct)
            .ThenBy(r => r.Run.Report.MaxDrawdownPct)
            .ThenBy(r => r.Run.Config.InstId, StringComparer.Ordinal)
            .ThenBy(r => SweepGrid.Label(r.Run.Overrides), StringComparer.Ordinal)];

    public static void Write(string root, IEnumerable<(string Dir, BacktestRun Run)> runs)
    {
        var sorted = Sorted(runs);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "sweep.csv"), Csv(root, sorted));
        File.WriteAllText(Path.Combine(root, "sweep.md"), Markdown(root, sorted));
    }

    private static string[] Names(IReadOnlyList<(string Dir, BacktestRun Run)> runs) =>
        [.. runs.SelectMany(r => r.Run.Overrides.Keys).Distinct(StringComparer.Ordinal)];

    private static readonly string[] Metrics =
    [
        "trades", "win_rate_pct", "profit_factor", "net_pnl", "net_return_pct", "expectancy", "max_drawdown_pct", "max_consecutive_losses",
        "fill_rate_pct", "sharpe_daily", "sharpe_days", "long_trades", "long_net_pnl", "short_trades", "short_net_pnl", "fees", "report",
    ];

    private static string[] Values(string root, BacktestRun run, string dir)
    {
        var r = run.Report;
        var s = run.Stats;
        static string D(decimal value, int decimals) => BacktestReportWriter.Round(value, decimals);
        static string N(decimal? value, int decimals) => value is { } v ? D(v, decimals) : "";
        var c = CultureInfo.InvariantCulture;
        return
        [
            r.TradeCount.ToString(c), D(r.WinRatePct, 2), N(r.ProfitFactor, 3), D(r.NetPnl, 4), D(r.NetReturnPct, 4), N(s.Expectancy, 4),
            D(r.MaxDrawdownPct, 3), s.MaxConsecutiveLosses.ToString(c), N(s.FillRatePct, 2), N(r.DailySharpe, 3), s.SharpeDays.ToString(c),
            s.LongSide.Trades.ToString(c), D(s.LongSide.NetPnl, 4), s.ShortSide.Trades.ToString(c), D(s.ShortSide.NetPnl, 4), D(r.FeesPaid, 4),
            Path.GetRelativePath(root, dir).Replace('\\', '/'),
        ];
    }

    public static string Csv(string root, IReadOnlyList<(string Dir, BacktestRun Run)> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var names = Names(sorted);
        var csv = new StringBuilder();
        csv.AppendJoin(',', ((string[])["rank", "instrument"]).Concat(names).Concat(Metrics).Select(Cell)).Append('\n');
        foreach (var ((dir, run), i) in sorted.Select((r, i) => (r, i + 1)))
        {
            var row = new[] { i.ToString(CultureInfo.InvariantCulture), run.Config.InstId }
                .Concat(names.Select(n => run.Overrides.GetValueOrDefault(n) ?? "")).Concat(Values(root, run, dir));
            csv.AppendJoin(',', row.Select(Cell)).Append('\n');
        }

        return csv.ToString();
    }

    public static string Markdown(string root, IReadOnlyList<(string Dir, BacktestRun Run)> sorted)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        var names = Names(sorted);
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var first = sorted.Count > 0 ? sorted[0].Run : null;
        md.Append(c, $"# Sweep: {first?.Config.Id} on {first?.Config.Exchange}, {first?.From:yyyy-MM-dd} – {first?.To:yyyy-MM-dd}, {sorted.Count} runs\n\n");
        md.Append(c, $"Sorted by {SortKey}. Each run's report.md, equity.svg and price.svg are in its directory (last column).\n\n");
        string[] headers = ["#", "instrument", .. names, "trades", "win rate %", "profit factor", "net PnL", "net return %", "expectancy", "max DD %",
            "max consec. losses", "fill rate %", "Sharpe (daily)", "days", "long trades", "long PnL", "short trades", "short PnL", "fees", "report"];
        md.Append("| ").AppendJoin(" | ", headers).Append(" |\n|").Append(string.Concat(Enumerable.Repeat("---|", headers.Length))).Append('\n');
        foreach (var ((dir, run), i) in sorted.Select((r, i) => (r, i + 1)))
        {
            var values = Values(root, run, dir);
            values[^1] = $"[{values[^1]}]({values[^1]}/report.md)";
            var row = new[] { i.ToString(c), run.Config.InstId }.Concat(names.Select(n => run.Overrides.GetValueOrDefault(n) ?? ""))
                .Concat(values.Select(v => v.Length == 0 ? "n/a" : v));
            md.Append("| ").AppendJoin(" | ", row.Select(v => v.Replace("|", "\\|", StringComparison.Ordinal))).Append(" |\n");
        }

        return md.ToString();
    }

    private static string Cell(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
