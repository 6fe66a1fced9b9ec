using System.Text.Json;
using Pipeline.Jobs.Status;

namespace Pipeline.Jobs.Tests.Status;

/// <summary>
/// status shows how far each calculator has warmed up, from the real calculators' saved state: 23 minutes into a
/// series that began at 10:30 (mid-session) the 1h window has 23 of 60 minutes, adx 23 of 28 bars, and the session
/// outputs first have values at the next session start.
/// </summary>
public sealed class StatusWarmUpTests : IDisposable
{
    private readonly TestVault _vault = TestVault.Create();

    public void Dispose() => _vault.Dispose();

    private void Minutes(int hour, int minute, int count)
    {
        var start = TestVault.T(TestVault.Day1, hour, minute);
        for (var m = 0; m < count; m++)
        {
            _vault.AppendTrade(start + (m * 60_000L) + 5_000, 1000m + (m % 7));
        }

        _vault.Watermark(start + ((count + 1) * 60_000L));
        _vault.Calc();
    }

    [Fact]
    public async Task Status_23MinutesIntoAFreshSeries_ShowsEachCalculatorsWarmUp()
    {
        Minutes(10, 30, 23);
        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _vault.Layout.Root);
        Assert.True(code == 0, error);
        Assert.Contains(
            "okx BTC-USDT-SWAP: warming up: vwap 1h 23/60 min, 4h 23/240 min, session from 2025-12-15 00:00; " +
            "bands 1h 23/60 min, 4h 23/240 min, session from 2025-12-15 00:00; cvd none; adx 23/28 bars; kyle lambda 23/31 bars",
            output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_FiveHoursFromTheSessionStart_AllWarm()
    {
        Minutes(0, 0, 300);
        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _vault.Layout.Root);
        Assert.True(code == 0, error);
        Assert.Contains("okx BTC-USDT-SWAP: all warm", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_CarriesWarmUpProgress()
    {
        Minutes(10, 30, 23);
        var (code, output, error) = await CliRunner.RunAsync("status", "--vault", _vault.Layout.Root, "--json");
        Assert.True(code == 0, error);
        using var json = JsonDocument.Parse(output);
        var warmUp = Assert.Single(json.RootElement.GetProperty("instruments").EnumerateArray()).GetProperty("warmUp").EnumerateArray().ToList();
        var hour = warmUp.Single(w => w.GetProperty("calc").GetString() == "vwap" && w.GetProperty("window").GetString() == "1h");
        Assert.Equal((23, 60, false), (hour.GetProperty("have").GetInt64(), hour.GetProperty("need").GetInt64(), hour.GetProperty("warm").GetBoolean()));
    }

    [Fact]
    public void Read_NoCalculatorRun_Null() =>
        Assert.Null(WarmUpStatus.Read(_vault.Layout, TestVault.Exchange, TestVault.InstId));
}
