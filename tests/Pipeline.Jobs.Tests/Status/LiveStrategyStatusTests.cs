using System.Text.Json;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Status;
using Pipeline.Jobs.Tests.Execution.Venue;
using Pipeline.Testing.Trading;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Status;

/// <summary>
/// <c>status</c> of a live strategy: its venue and progress from state/venue/{id}.json, its position and PnL from the
/// fills the venue reported (ledger). A long of 1000 USDT at 980 (1.020408163265 BTC, maker fee 0.2) marked at the next
/// close 990: unrealised 1000 × 10 / 980 = +10.2041 gross, +10.0041 net of the entry fee, as for paper.
/// </summary>
public sealed class LiveStrategyStatusTests
{
    private static async Task<VenueExecutorHarness> OpenLongAsync()
    {
        var h = new VenueExecutorHarness(venue: new ScriptedVenue(TradingVenues.Binance));
        h.Signal(0);
        await h.StartAsync();
        await h.StepAsync();
        h.Scripted.Now = At(1, 20_000);
        h.Scripted.Fill(h.IdOf(0, ClientOrderIds.Entry), 980m);
        h.Trade(1, 20_000, 979.5m);
        await h.StepAsync();
        h.Fixture.Minute(Minute(1), 990m); // the mark; decided by no executor
        return h;
    }

    [Fact]
    public async Task Read_LiveOpenLong_VenuePositionFeesAndUnrealisedAtTheLastClose()
    {
        await using var h = await OpenLongAsync();
        var status = Assert.Single(StrategyStatus.ReadAll(h.Vault));

        Assert.Equal(("live", TradingVenues.Binance, h.Config.Id), (status.Mode, status.Venue, status.Strategy));
        Assert.Equal(("long", 980m, VenueExecutorHarness.Qty980), (status.Side, status.EntryPx, status.Qty));
        Assert.Equal((990m, Minute(2)), (status.MarkPx, status.MarkTs));
        Assert.Equal(10.2041m, Math.Round(status.UnrealizedGross!.Value, 4));
        Assert.Equal(10.0041m, Math.Round(status.UnrealizedNet!.Value, 4));
        Assert.Equal(0.2m, Math.Round(status.FeesPaid!.Value, 8));
        Assert.Equal((0m, 0), (status.Realized, status.RoundTrips));
        Assert.Equal(Minute(0), status.LastMinuteMs);
        Assert.Null(status.Error);
    }

    [Fact]
    public async Task Status_LiveOpenLong_PrintsItUnderLiveStrategies()
    {
        await using var h = await OpenLongAsync();
        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", h.Vault.Root);

        Assert.True(code == 0, error);
        Assert.DoesNotContain("Paper strategies", output, StringComparison.Ordinal);
        var at = output.IndexOf("Live strategies", StringComparison.Ordinal);
        Assert.True(at >= 0, output);
        Assert.Contains(
            $"{h.Config.Id} {h.Config.Exchange} {h.Config.InstId} LIVE on binance: LONG 1.02040816 @ 980 since 2025-03-03 12:01; unrealised +10.0041 USDT net (+10.2041 USDT gross) at 990, the close of 2025-03-03 12:01; realised 0 USDT over 0 round trip(s); fees +0.2 USDT; decided up to 2025-03-03 12:00",
            output[at..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task StatusJson_LiveOpenLong_ModeVenueAndPosition()
    {
        await using var h = await OpenLongAsync();
        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", h.Vault.Root, "--json");

        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var strategy = Assert.Single(json.RootElement.GetProperty("strategies").EnumerateArray());
        Assert.Equal("live", strategy.GetProperty("mode").GetString());
        Assert.Equal("binance", strategy.GetProperty("venue").GetString());
        Assert.Equal("long", strategy.GetProperty("side").GetString());
        Assert.Equal(VenueExecutorHarness.Qty980, strategy.GetProperty("qty").GetDecimal());
    }
}
