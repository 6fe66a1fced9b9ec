using System.Globalization;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Execution.Venue;
using Pipeline.Jobs.Strategies;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution.Venue;

/// <summary>The paper fill model as a venue, and the cross-check: the venue executor over it makes paper's entries.</summary>
public sealed class PaperVenueTests
{
    private const int Minutes = 240;

    [Fact]
    public async Task VenueExecutorOverPaperVenue_SameVault_MakesThePaperEnginesEntriesAndEntryFills()
    {
        var (minutes, trades) = ChoppyMarket(count: Minutes, sideFromStep: false, occasionalHalt: false, seed: 11);
        var config = CreateConfig() with { Risk = new RiskLimits { VolatilityHaltPct = 0.8m } };
        var paper = new PaperRun(config);
        EngineFeed.Run(paper.Engine, minutes, trades);
        var paperEntries = paper.Sink.Orders.Where(o => o is { Event: "placed", Kind: "entry" })
            .Select(o => (Minute: o.Ts - 60_000, o.Side, o.Px, o.Qty)).ToList();
        var paperFills = paper.Sink.Fills.Where(f => f.Kind == "entry").Select(f => (f.Ts, f.Side, f.Px, f.Qty)).ToList();
        Assert.True(paperEntries.Count >= 5, $"the synthetic market should trade; paper placed {paperEntries.Count} entries");
        Assert.True(paperFills.Count >= 3, $"paper filled {paperFills.Count} entries");

        await using var h = new VenueExecutorHarness(config, PaperVenue.For(config));
        foreach (var t in trades)
        {
            h.Fixture.AppendTrade(t.Ts, t.Px, t.TradeId);
        }

        foreach (var m in minutes)
        {
            h.Fixture.Minute(m.MinuteMs, m.Close, m.Vwap!.Value, m.Sigma!.Value, m.Adx, m.MaxMove5sBps);
        }

        await h.Create(new VenueExecutorOptions { StartMinuteMs = Minute(0), SkipStaleEntries = false }) // the whole tape in one step, a replay
            .StartAsync(CancellationToken.None);
        var step = await h.StepAsync();

        Assert.Equal((Minutes, trades.Count), (step.Minutes, step.Trades));
        var orders = h.Orders();
        var venueEntries = orders.Where(o => o is { Event: "sending", Kind: "entry" }).Select(o => o.Id).ToList();
        Assert.Equal(paperEntries.Select(e => ClientOrderIds.For(config.Id, e.Minute, ClientOrderIds.Entry)), venueEntries);
        var sent = h.Orders(); // sides and limits through the ledger lines' fields
        var lines = File.ReadAllLines(h.Vault.LedgerOrders(config.Id)).Where(l => l.Contains("\"event\":\"sending\",\"kind\":\"entry\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(paperEntries.Select(e => $"\"side\":\"{e.Side}\",\"type\":\"post_only_limit\",\"px\":\"{Fmt(e.Px)}\",\"qty\":\"{Fmt(e.Qty)}\""),
            lines.Select(l => l[l.IndexOf("\"side\"", StringComparison.Ordinal)..(l.IndexOf(",\"expiresTs\"", StringComparison.Ordinal))]));
        Assert.NotEmpty(sent);
        var venueFills = h.Fills().Where(f => f.Kind == "entry").Select(f => (f.Ts, f.Side, f.Px, f.Qty)).ToList();
        Assert.Equal(paperFills, venueFills);
        var fees = h.Fills().Where(f => f.Kind == "entry").Select(f => Math.Round(f.Fee, 8));
        Assert.Equal(paper.Sink.Fills.Where(f => f.Kind == "entry").Select(f => Math.Round(f.Fee, 8)), fees); // 0.2 USDT maker each
    }

    [Fact]
    public async Task PostOnly_ATradeAtTheLimit_DoesNotFillButOneThroughItDoes()
    {
        await using var venue = new PaperVenue(0.0002m, 0.0005m);
        await venue.ConnectAsync(["X"], CancellationToken.None);
        await venue.PlaceAsync(new VenueOrderRequest("X", "a", VenueSide.Buy, VenueOrderType.PostOnly, 2m, 100m, false), CancellationToken.None);

        venue.OnTrade(new TradeTick(1, 100m, 1m, "sell", "1"));
        Assert.Empty(await venue.FillsAsync("X", 0, CancellationToken.None));
        venue.OnTrade(new TradeTick(2, 99.9m, 1m, "sell", "2"));

        var fill = Assert.Single(await venue.FillsAsync("X", 0, CancellationToken.None));
        Assert.Equal((100m, 2m, true, 0.04m, 2L), (fill.Price, fill.Quantity, fill.Maker, fill.Fee, fill.Ts)); // 200 × 0.02 %
        Assert.Equal(2m, (await venue.PositionAsync("X", CancellationToken.None)).Quantity);
    }

    [Fact]
    public async Task Market_ReduceOnly_FillsAtTheLastTradeCappedAtThePositionAndIsRefusedWhenFlat()
    {
        await using var venue = new PaperVenue(0.0002m, 0.0005m);
        await venue.ConnectAsync(["X"], CancellationToken.None);
        await venue.PlaceAsync(new VenueOrderRequest("X", "a", VenueSide.Buy, VenueOrderType.PostOnly, 2m, 100m, false), CancellationToken.None);
        venue.OnTrade(new TradeTick(1, 99m, 1m, "sell", "1"));
        venue.OnTrade(new TradeTick(2, 98m, 1m, "sell", "2"));

        var exit = await venue.PlaceAsync(new VenueOrderRequest("X", "b", VenueSide.Sell, VenueOrderType.Market, 5m, 97m, true), CancellationToken.None);

        Assert.Equal((VenueOrderStatus.Filled, 2m, 98m), (exit.Status, exit.FilledQuantity, exit.AveragePrice));
        Assert.Equal(0.098m, (await venue.FillsAsync("X", 2, CancellationToken.None))[^1].Fee); // 196 × 0.05 %
        var refused = await Assert.ThrowsAsync<VenueException>(() =>
            venue.PlaceAsync(new VenueOrderRequest("X", "c", VenueSide.Sell, VenueOrderType.Market, 1m, 97m, true), CancellationToken.None));
        Assert.Equal(VenueErrorKind.Rejected, refused.Kind);
    }

    private static string Fmt(decimal value) => Pipeline.Vault.Trades.ExactDecimal.Format(value);
}
