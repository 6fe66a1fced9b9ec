using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Jobs.Chart;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Backtest;

/// <summary>Writes report.json, report.md, equity.svg, price.svg and minutes.csv (the price chart's data, for <c>pipeline chart --backtest</c>) of one backtest run into a directory.</summary>
public static class BacktestReportWriter
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static void Write(string directory, BacktestRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        Directory.CreateDirectory(directory);
        var (startMs, endMs) = Span(run);
        File.WriteAllText(Path.Combine(directory, "equity.svg"),
            EquitySvg.Render($"{run.Config.Id} on {run.Config.Exchange}/{run.Config.InstId}, {run.From:yyyy-MM-dd} to {run.To:yyyy-MM-dd}",
                run.Report, startMs, endMs, run.Report.PnlCcy ?? Quote(run.Config.InstId)));
        File.WriteAllText(Path.Combine(directory, BacktestChartSource.MinutesFile), BacktestChartSource.MinutesCsv(run.Series));
        File.WriteAllText(Path.Combine(directory, "price.svg"), PriceChartSvg.Render(BacktestChartSource.Data(run), startMs, Math.Max(endMs, startMs + TradeTime.MsPerMinute)));
        File.WriteAllText(Path.Combine(directory, "report.json"), JsonSerializer.Serialize(Document(run), Json) + "\n");
        File.WriteAllText(Path.Combine(directory, "report.md"), Markdown(run));
    }

    /// <summary>The report as a JSON-ready object (numbers exact: decimals are written with all their digits).</summary>
    public static object Document(BacktestRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var r = run.Report;
        var s = run.Stats;
        return new
        {
            strategy = run.Config.Id,
            kind = run.Config.Strategy,
            exchange = run.Config.Exchange,
            instId = run.Config.InstId,
            from = run.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            to = run.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            overrides = run.Overrides,
            parameters = run.Config.Parameters,
            execution = run.Config.Execution,
            input = new { minutesWithData = run.MinutesWithData, minutesEmitted = run.Minutes, trades = run.Trades, badLines = run.BadLines, lateTrades = run.LateTrades, notes = run.Notes },
            summary = new
            {
                pnlCcy = r.PnlCcy, trades = r.TradeCount, wins = r.Wins, losses = r.Losses, winRatePct = r.WinRatePct, profitFactor = r.ProfitFactor,
                grossPnl = r.GrossPnl, feesPaid = r.FeesPaid, netPnl = r.NetPnl, netReturnPct = r.NetReturnPct,
                dailySharpe = r.DailySharpe, sharpeDays = s.SharpeDays, annualizedSharpe = s.CanAnnualise ? r.AnnualizedSharpe : null,
                maxDrawdown = r.MaxDrawdown,
                maxDrawdownPct = r.MaxDrawdownPct, averageHoldingSeconds = Math.Round(r.AverageHolding.TotalSeconds, 3),
                exitsByReason = r.ExitsByReason, openPositions = r.OpenPositions,
                ordersPlaced = s.OrdersPlaced, ordersFilled = s.OrdersFilled, fillRatePct = s.FillRatePct,
                entriesPlaced = s.EntriesPlaced, entriesFilled = s.EntriesFilled, entryFillRatePct = s.EntryFillRatePct,
                expectancy = s.Expectancy, expectancyPct = s.ExpectancyPct, maxConsecutiveLosses = s.MaxConsecutiveLosses,
                @long = s.LongSide, @short = s.ShortSide,
            },
            trades = r.Trades.Select(t => new
            {
                t.PositionId, t.Direction, entryTime = Iso(t.EntryTs), t.EntryPx, exitTime = Iso(t.ExitTs), t.ExitPx, t.ExitReason,
                t.Notional, t.GrossPnl, t.Fees, t.NetPnl, t.NetReturnPct,
            }),
            equity = r.EquityCurve.Select(p => new { time = Iso(p.Ts), cumulativeNetPnl = p.CumulativeNetPnl }),
            fills = run.Sink.Fills,
            orders = run.Sink.Orders,
            elapsedSeconds = Math.Round(run.Elapsed.TotalSeconds, 3),
        };
    }

    public static string Markdown(BacktestRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var r = run.Report;
        var x = run.Config.Execution;
        var md = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        md.Append(c, $"# Backtest: {run.Config.Id} on {run.Config.Exchange}/{run.Config.InstId}, {run.From:yyyy-MM-dd} – {run.To:yyyy-MM-dd}\n\n");
        md.Append(c, $"Strategy `{run.Config.Strategy}` from `{run.Config.Source}`");
        if (run.Overrides.Count > 0)
        {
            md.Append(c, $", with {string.Join(", ", run.Overrides.Select(o => $"`{o.Key}={o.Value}`"))}");
        }

        md.Append(c, $". Replayed {run.Trades:N0} raw trades in {run.MinutesWithData:N0} minutes with data ({run.Minutes:N0} minutes emitted, with the minutes without trades) through the live calculators, strategy and paper engine ");
        md.Append(c, $"(notional {D(x.Notional)}{(run.Config.Contract is { } k ? $" {k.NotionalCcy} {k.CtType}" : "")}, maker {D(x.MakerFeePct)} %, taker {D(x.TakerFeePct)} %, take profit {D(x.TakeProfitPct)} %, stop loss {D(x.StopLossPct)} %).\n\n");
        foreach (var note in run.Notes)
        {
            md.Append(c, $"- {note}\n");
        }

        md.Append(run.Notes.Count > 0 ? "\n" : "");
        md.Append("| metric | value |\n|---|---|\n");
        foreach (var (name, value) in SummaryRows(r, run.Stats))
        {
            md.Append(c, $"| {name} | {value} |\n");
        }

        md.Append("\n![equity and drawdown](equity.svg)\n\n![price, VWAP, bands, entries, exits and stops](price.svg)\n\n");
        md.Append("`pipeline chart --backtest <this directory> --from <time> --to <time>` draws any part of the range in detail.\n\n## Round trips\n\n");
        if (r.Trades.Count == 0)
        {
            md.Append("No round trip closed in this range.\n");
        }
        else
        {
            md.Append(c, $"| # | direction | entry (UTC) | entry px | exit (UTC) | exit px | reason | net PnL{(r.PnlCcy is { } ccy ? $" ({ccy})" : "")} | net % |\n|---|---|---|---|---|---|---|---|---|\n");
            foreach (var (t, i) in r.Trades.Take(500).Select((t, i) => (t, i + 1)))
            {
                md.Append(c, $"| {i} | {t.Direction} | {Iso(t.EntryTs)} | {D(t.EntryPx)} | {Iso(t.ExitTs)} | {D(t.ExitPx)} | {t.ExitReason} | {Round(t.NetPnl, r.PnlDecimals)} | {Round(t.NetReturnPct, 4)} |\n");
            }

            if (r.Trades.Count > 500)
            {
                md.Append(c, $"\n… {r.Trades.Count - 500} more in report.json.\n");
            }
        }

        return md.ToString();
    }

    /// <summary>The summary metrics as (name, value) text, shared by report.md and the terminal table.</summary>
    public static IReadOnlyList<(string Name, string Value)> SummaryRows(PerformanceReport r, TradeStats s)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(s);
        var c = CultureInfo.InvariantCulture;
        return
        [
            ("trades", string.Create(c, $"{r.TradeCount} ({r.Wins} won, {r.Losses} lost{(r.OpenPositions > 0 ? $", {r.OpenPositions} still open" : "")})")),
            ("win rate", Round(r.WinRatePct, 2) + " %"),
            ("profit factor", r.ProfitFactor is { } pf ? Round(pf, 3) : "n/a (no loss)"),
            ("net return after fees", Round(r.NetReturnPct, 4) + " % of notional"),
            ("net PnL", r.Money(r.NetPnl)),
            ("expectancy", s.Expectancy is { } e ? $"{r.Money(e)} per trade ({Round(s.ExpectancyPct!.Value, 4)} % of notional)" : "n/a (no trade)"),
            ("fees paid", r.Money(r.FeesPaid)),
            ("fill rate", FillRate(s)),
            SharpeRow(r, s),
            ("max drawdown", $"{r.Money(r.MaxDrawdown)} ({Round(r.MaxDrawdownPct, 3)} % of notional)"),
            ("max consecutive losses", s.MaxConsecutiveLosses.ToString(c)),
            ("long", Side(s.LongSide)),
            ("short", Side(s.ShortSide)),
            ("average holding", Holding(r.AverageHolding)),
            ("exits by reason", Exits(r)),
        ];
    }

    /// <summary>
    /// "Sharpe (daily, n=45 days)" with the annualised figure, or below <see cref="TradeStats.MinDaysToAnnualise"/>
    /// days "Sharpe (daily, n=3 days: too few to annualise)" with the daily figure only.
    /// </summary>
    public static (string Name, string Value) SharpeRow(PerformanceReport r, TradeStats s)
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(s);
        if (r.DailySharpe is not { } daily)
        {
            return (string.Create(CultureInfo.InvariantCulture, $"Sharpe (daily, n={s.SharpeDays} days)"),
                r.TradeCount == 0 ? "n/a (no trade)" : s.SharpeDays < 2 ? "n/a (fewer than 2 days)" : "n/a (no variation in the daily returns)");
        }

        return s.CanAnnualise
            ? (string.Create(CultureInfo.InvariantCulture, $"Sharpe (daily, n={s.SharpeDays} days)"),
                Round(daily, 3) + (r.AnnualizedSharpe is { } a ? $" (annualised {Round(a, 2)})" : ""))
            : (string.Create(CultureInfo.InvariantCulture, $"Sharpe (daily, n={s.SharpeDays} days: too few to annualise)"), Round(daily, 3));
    }

    public static string FillRate(TradeStats s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var c = CultureInfo.InvariantCulture;
        return s.FillRatePct is not { } all ? "n/a (no order)"
            : string.Create(c, $"{Round(all, 2)} % ({s.OrdersFilled} of {s.OrdersPlaced} orders filled; entries {s.EntriesFilled} of {s.EntriesPlaced}")
              + (s.EntryFillRatePct is { } e ? $" = {Round(e, 2)} %)" : ")");
    }

    public static string Side(SideStats side)
    {
        ArgumentNullException.ThrowIfNull(side);
        return side.Trades == 0 ? "0 trades"
            : string.Create(CultureInfo.InvariantCulture, $"{side.Trades} trades, win rate {Round(side.WinRatePct, 2)} %, net PnL {Round(side.NetPnl, 4)}");
    }

    public static string Exits(PerformanceReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return r.ExitsByReason.Count == 0 ? "none"
            : string.Join(", ", r.ExitsByReason.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"));
    }

    public static string Holding(TimeSpan t) =>
        t.TotalHours >= 1 ? t.ToString(@"h\h\ mm\m", CultureInfo.InvariantCulture) : t.ToString(@"m\m\ ss\s", CultureInfo.InvariantCulture);

    public static string Round(decimal value, int decimals) => ExactDecimal.Format(Math.Round(value, decimals, MidpointRounding.AwayFromZero));

    private static (long, long) Span(BacktestRun run) =>
        (TradeTime.DayStartMs(run.From), TradeTime.DayStartMs(run.To.AddDays(1)));

    /// <summary>The quote currency for labels: the part after the base in BTC-USDT-SWAP / BTCUSDT.</summary>
    private static string Quote(string instId) =>
        instId.Split('-') is { Length: >= 2 } parts ? parts[1] : instId.EndsWith("USDT", StringComparison.Ordinal) ? "USDT" : "quote";

    private static string D(decimal value) => ExactDecimal.Format(value);

    private static string Iso(long ms) =>
        TradeTime.ToDateTimeOffset(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
