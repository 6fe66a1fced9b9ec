using System.Text.Json;
using Pipeline.Calculators.Bars;
using Pipeline.Vault.Trades;

namespace Pipeline.Calculators.Tests.Bars;

public sealed class RawToBarsStageTests
{
    private static readonly DateOnly Day = TestVault.Day1;

    private static JsonElement Json(string line) => JsonDocument.Parse(line).RootElement;

    [Fact]
    public void Calc_SingleTrade_OneBarWithItsValues()
    {
        using var v = TestVault.Create();
        v.Append([TestVault.Trade(TestVault.T(Day, 0, 0, 5), "100.5", "2", "buy", "7")]);
        v.Watermark(TestVault.T(Day, 0, 1, 2));
        var r = v.Calc();
        var lines = v.Lines(BarLine.Calc, Day);
        Assert.Single(lines);
        Assert.Equal(
            "{\"minute\":\"2025-12-14T00:00:00Z\",\"exchange\":\"okx\",\"instId\":\"BTC-USDT-SWAP\",\"open\":\"100.5\",\"high\":\"100.5\",\"low\":\"100.5\",\"close\":\"100.5\",\"trades\":1,\"volBase\":\"2\",\"volQuote\":\"201\",\"buyVolBase\":\"2\",\"sellVolBase\":\"0\",\"sumPx2Qty\":\"20200.5\",\"firstTradeId\":\"7\",\"lastTradeId\":\"7\",\"maxMove5sBps\":\"0\"}",
            lines[0]);
        Assert.Equal(1, r.BarsEmitted);
    }

    [Fact]
    public void Calc_WatermarkBeforeLateness_MinuteNotYetFinal()
    {
        using var v = TestVault.Create();
        v.Append([TestVault.Trade(TestVault.T(Day, 0, 0, 5), "100", "1")]);
        v.Watermark(TestVault.T(Day, 0, 1, 1, 999)); // M+1m+2s not reached
        v.Calc();
        Assert.Empty(v.Lines(BarLine.Calc, Day));
        v.Watermark(TestVault.T(Day, 0, 1, 2));
        v.Calc();
        Assert.Single(v.Lines(BarLine.Calc, Day));
    }

    [Fact]
    public void Calc_QuietMinutes_CarryTheLastCloseWithZeroVolume()
    {
        using var v = TestVault.Create();
        v.Append([TestVault.Trade(TestVault.T(Day, 0, 0, 1), "100", "1"), TestVault.Trade(TestVault.T(Day, 0, 0, 2), "101", "1"),
            TestVault.Trade(TestVault.T(Day, 0, 3, 0), "99", "1")]);
        v.Watermark(TestVault.T(Day, 0, 4, 2));
        v.Calc();
        var lines = v.Lines(BarLine.Calc, Day).Select(Json).ToList();
        Assert.Equal(4, lines.Count);
        foreach (var quiet in lines.Skip(1).Take(2))
        {
            Assert.Equal("101", quiet.GetProperty("open").GetString());
            Assert.Equal("101", quiet.GetProperty("close").GetString());
            Assert.Equal(0, quiet.GetProperty("trades").GetInt64());
            Assert.Equal("0", quiet.GetProperty("volBase").GetString());
            Assert.Equal(JsonValueKind.Null, quiet.GetProperty("firstTradeId").ValueKind);
        }

        Assert.Equal("2025-12-14T00:03:00Z", lines[3].GetProperty("minute").GetString());
    }

    [Fact]
    public void Calc_TradesOutOfFileOrder_OpenCloseByTimeThenId()
    {
        using var v = TestVault.Create();
        v.Append([TestVault.Trade(TestVault.T(Day, 0, 0, 30), "105", "1", id: "30"), TestVault.Trade(TestVault.T(Day, 0, 0, 10), "101", "1", id: "11"),
            TestVault.Trade(TestVault.T(Day, 0, 0, 10), "100", "1", id: "10"), TestVault.Trade(TestVault.T(Day, 0, 0, 50), "102", "1", id: "50")]);
        v.Watermark(TestVault.T(Day, 0, 1, 2));
        v.Calc();
        var bar = Json(v.Lines(BarLine.Calc, Day)[0]);
        Assert.Equal("100", bar.GetProperty("open").GetString());
        Assert.Equal("102", bar.GetProperty("close").GetString());
        Assert.Equal("105", bar.GetProperty("high").GetString());
        Assert.Equal("10", bar.GetProperty("firstTradeId").GetString());
        Assert.Equal("50", bar.GetProperty("lastTradeId").GetString());
    }

    [Fact]
    public void Calc_MaxMove5s_RangeOverFiveSecondWindowsAcrossTheMinuteEdge()
    {
        using var v = TestVault.Create();
        v.Append([
            TestVault.Trade(TestVault.T(Day, 0, 0, 58), "100", "1"),
            TestVault.Trade(TestVault.T(Day, 0, 1, 2), "101", "1"),   // window [57s, 62s] holds 100 and 101: 100 bps
            TestVault.Trade(TestVault.T(Day, 0, 1, 30), "101.5", "1"),
            TestVault.Trade(TestVault.T(Day, 0, 1, 36), "100", "1"),  // 6 s apart: separate windows
        ]);
        v.Watermark(TestVault.T(Day, 0, 2, 2));
        v.Calc();
        var bars = v.Lines(BarLine.Calc, Day).Select(Json).ToList();
        Assert.Equal("0", bars[0].GetProperty("maxMove5sBps").GetString());
        Assert.Equal("100", bars[1].GetProperty("maxMove5sBps").GetString());
    }

    [Fact]
    public void Calc_InverseContract_UsesQtyBaseFromTheLine()
    {
        using var v = TestVault.Create();
        var qty = ContractMath.QtyBase("1", "65000", "100", "1", "inverse", "USD");
        var t = TestVault.Trade(TestVault.T(Day, 0, 0, 1), "65000", qty) with { Sz = "1", CtVal = "100", CtType = "inverse", CtValCcy = "USD" };
        v.Append([t]);
        v.Watermark(TestVault.T(Day, 0, 1, 2));
        v.Calc();
        var bar = Json(v.Lines(BarLine.Calc, Day)[0]);
        Assert.Equal(qty, bar.GetProperty("volBase").GetString());
        var volQuote = decimal.Parse(bar.GetProperty("volQuote").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(100m, Math.Round(volQuote, 20));
    }

    [Fact]
    public void Calc_LateTrade_CountedSkippedAndRecalcIncludesIt()
    {
        using var v = TestVault.Create();
        v.Append([TestVault.Trade(TestVault.T(Day, 0, 0, 1), "100", "1"), TestVault.Trade(TestVault.T(Day, 0, 1, 1), "101", "1")]);
        v.Watermark(TestVault.T(Day, 0, 1, 2));
        v.Calc();
        v.Append([TestVault.Trade(TestVault.T(Day, 0, 0, 59), "99", "3")]); // minute 00:00 is already emitted
        v.Watermark(TestVault.T(Day, 0, 2, 2));
        var r = v.Calc();
        Assert.Equal(1, r.LateTrades);
        Assert.Equal(1, Json(v.Lines(BarLine.Calc, Day)[0]).GetProperty("trades").GetInt64());
        v.Recalc(Day);
        Assert.Equal(2, Json(v.Lines(BarLine.Calc, Day)[0]).GetProperty("trades").GetInt64());
    }

    [Fact]
    public void Calc_DayWithoutTrades_NoFilesAndNextDayStartsQuietFromMidnight()
    {
        using var v = TestVault.Create();
        var day3 = Day.AddDays(2);
        v.Append([TestVault.Trade(TestVault.T(Day, 23, 59, 1), "100", "1"), TestVault.Trade(TestVault.T(day3, 0, 2, 0), "101", "1")]);
        v.Watermark(TestVault.T(day3, 0, 3, 2));
        v.Calc();
        Assert.False(v.DerivedExists(BarLine.Calc, Day.AddDays(1)));
        var first = v.Lines(BarLine.Calc, Day);
        Assert.Single(first); // the first day starts at its first trade's minute
        var lines = v.Lines(BarLine.Calc, day3).Select(Json).ToList();
        Assert.Equal(3, lines.Count);
        Assert.Equal("2025-12-16T00:00:00Z", lines[0].GetProperty("minute").GetString());
        Assert.Equal("100", lines[0].GetProperty("close").GetString());
    }

    [Fact]
    public void Calc_BadLine_CountedAndSkipped()
    {
        using var v = TestVault.Create();
        v.Append([TestVault.Trade(TestVault.T(Day, 0, 0, 1), "100", "1")]);
        v.AppendRaw(Day, "{\"not\":\"a trade\"}\n"u8.ToArray());
        v.Watermark(TestVault.T(Day, 0, 1, 2));
        var r = v.Calc();
        Assert.Equal(1, r.BadLines);
        Assert.Single(v.Lines(BarLine.Calc, Day));
    }
}
