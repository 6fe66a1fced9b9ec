using Pipeline.Jobs.Cli;
using System.Globalization;
using Spectre.Console;

namespace Pipeline.Jobs.Demo;

/// <summary>
/// What the demo did, printed as a table with the next commands to try. It holds only what the seed decides (no wall
/// time: the demo prints that on its progress lines), so two runs with the same seed print the same summary.
/// </summary>
public sealed record DemoSummary
{
    public required string Vault { get; init; }
    public required TimeSpan Simulated { get; init; }
    public required DateTimeOffset From { get; init; }
    public required ulong Seed { get; init; }
    public long Trades { get; init; }
    public long Minutes { get; init; }
    public long Signals { get; init; }
    public long Fills { get; init; }
    public int RoundTrips { get; init; }
    public decimal WinRatePct { get; init; }
    public decimal NetPnl { get; init; }
    public decimal FeesPaid { get; init; }

    /// <summary>
    /// Prints the table and what to try next; <paramref name="isDefaultVault"/>: commands without --vault use this
    /// vault (./vault-demo while ./vault-data holds no data), so the suggestions leave --vault out.
    /// </summary>
    public void Print(TextWriter output, bool isDefaultVault = false)
    {
        var console = CliConsole.For(output);
        var table = new Table().Title("pipeline demo").AddColumn("what").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("market simulated", string.Create(CultureInfo.InvariantCulture,
            $"{Simulated.TotalHours:0.#} h from {From:yyyy-MM-dd HH:mm}Z, seed {Seed}"));
        table.AddRow("trades recorded", N(Trades));
        table.AddRow("minutes computed", N(Minutes));
        table.AddRow("signals (long/short)", N(Signals));
        table.AddRow("fills", N(Fills));
        table.AddRow("round trips", N(RoundTrips));
        table.AddRow("win rate", RoundTrips == 0 ? "-" : $"{WinRatePct.ToString("0.0", CultureInfo.InvariantCulture)} %");
        table.AddRow("net PnL after fees", $"{NetPnl.ToString("0.00", CultureInfo.InvariantCulture)} USDT (fees {FeesPaid.ToString("0.00", CultureInfo.InvariantCulture)})");
        table.AddRow("vault", Markup.Escape(Vault));
        console.Write(table);
        output.WriteLine();
        output.WriteLine("Try next:");
        var vault = isDefaultVault ? string.Empty : $" --vault {Vault}";
        output.WriteLine($"  ./run.sh status{vault}");
        output.WriteLine($"  ./run.sh query{vault} \"select exchange, instId, count(*) trades, min(ts), max(ts) from trades group by all\"");
        output.WriteLine($"  ./run.sh query{vault} \"select exchange, minute, close, vwap1h, sigma1h from bars_1m join vwap using (exchange, instId, minute) join bands using (exchange, instId, minute) order by minute desc limit 10\"");
        output.WriteLine($"  ./run.sh query{vault} \"select * from fills order by ts\"");
        output.WriteLine($"  ./run.sh chart{vault} --strategy vwap_mr_okx --out demo.png");
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
