using System.Globalization;
using Pipeline.Jobs.Cli;
using Spectre.Console;

namespace Pipeline.Jobs.Demo;

/// <summary>
/// What <c>pipeline demo --live</c> did: the market, each side's orders, fills, round trips, PnL and fees (live through the
/// order adapters, and paper over the same vault), and the simulator exchange's own count of the account's fills and fees.
/// </summary>
public sealed record LiveDemoSummary
{
    public required string Vault { get; init; }
    public required TimeSpan Simulated { get; init; }
    public required DateTimeOffset From { get; init; }
    public required ulong Seed { get; init; }
    public long Trades { get; init; }
    public long Minutes { get; init; }
    public required IReadOnlyList<LiveDemoSide> Live { get; init; }
    public required IReadOnlyList<LiveDemoSide> Paper { get; init; }
    public required LiveDemoTruth Truth { get; init; }

    public void Print(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var console = CliConsole.For(output);
        var table = new Table().Title("pipeline demo --live")
            .AddColumn("what")
            .AddColumn(new TableColumn("live (order adapters → simulator)").RightAligned())
            .AddColumn(new TableColumn("paper (same market)").RightAligned());
        table.AddRow("market simulated", string.Create(CultureInfo.InvariantCulture, $"{Simulated.TotalHours:0.#} h from {From:yyyy-MM-dd HH:mm}Z, seed {Seed}"), "");
        table.AddRow("trades recorded", N(Trades), "");
        table.AddRow("minutes computed", N(Minutes), "");
        table.AddRow("signals (long/short)", N(Live.Sum(s => s.Signals)), N(Paper.Sum(s => s.Signals)));
        table.AddRow("orders sent", N(Live.Sum(s => s.OrdersSent)), N(Paper.Sum(s => s.OrdersSent)));
        table.AddRow("orders rejected", N(Live.Sum(s => s.OrdersRejected)), "-");
        table.AddRow("fills", N(Live.Sum(s => s.Fills)), N(Paper.Sum(s => s.Fills)));
        table.AddRow("round trips", N(Live.Sum(s => s.RoundTrips)), N(Paper.Sum(s => s.RoundTrips)));
        table.AddRow("win rate", WinRate(Live), WinRate(Paper));
        table.AddRow("net PnL after fees", Usdt(Live.Sum(s => s.NetPnl)), Usdt(Paper.Sum(s => s.NetPnl)));
        table.AddRow("fees", Usdt(Live.Sum(s => s.FeesPaid)), Usdt(Paper.Sum(s => s.FeesPaid)));
        table.AddRow("open at the end", Open(Live), Open(Paper));
        table.AddRow("exchange's own record", Markup.Escape($"{N(Truth.Fills)} fills, fees {Usdt(Truth.Fees)}"), "");
        table.AddRow("vault", Markup.Escape(Vault), "");
        console.Write(table);
        output.WriteLine();
        output.WriteLine("Live and paper decide on the same minutes; their fills differ where the simulated exchange's matching differs");
        output.WriteLine("from the paper model: an order reaches the exchange only after its minute is final, and a stop or exit fills");
        output.WriteLine("at the book (with slippage), not at the stop price or the minute close.");
        output.WriteLine();
        output.WriteLine("Try next:");
        output.WriteLine($"  ./run.sh status --vault {Vault}");
        output.WriteLine($"  ./run.sh query --vault {Vault} \"select strategy, time, kind, side, px, qty, liquidity, fee from fills order by time\"");
    }

    private static string WinRate(IReadOnlyList<LiveDemoSide> sides)
    {
        var trips = sides.Sum(s => s.RoundTrips);
        return trips == 0 ? "-" : $"{(100m * sides.Sum(s => s.Wins) / trips).ToString("0.0", CultureInfo.InvariantCulture)} %";
    }

    private static string Open(IReadOnlyList<LiveDemoSide> sides)
    {
        var open = sides.Where(s => s.Position != 0).Select(s => $"{s.Exchange} {s.Position.ToString(CultureInfo.InvariantCulture)}").ToList();
        return open.Count == 0 ? "flat" : Markup.Escape(string.Join(", ", open));
    }

    private static string Usdt(decimal value) => $"{value.ToString("0.00", CultureInfo.InvariantCulture)} USDT";

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
