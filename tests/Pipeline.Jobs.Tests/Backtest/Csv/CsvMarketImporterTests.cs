using System.Globalization;
using System.Text.Json;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Backtest.Csv;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Backtest.Csv;

public sealed class CsvMarketImporterTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 3, 2);
    private readonly TempDir _dir = new();

    internal static string Fixture(string name) =>
        Path.Combine(RepoPaths.Root(), "tests", "Pipeline.Jobs.Tests", "Backtest", "Fixtures", name);

    [Fact]
    public void Import_BarFixture_CalculatorsSeeTheBarsOhlcvExactlyAndOhlc4AsVwap()
    {
        var import = CsvMarketImporter.Import([Fixture("bars_1m_btc.csv")], "okx", "BTC-USDT-SWAP", _dir.File("scratch"));

        Assert.Equal((CsvKind.Bars, 360L, Day, Day), (import.Kind, import.Rows, import.FirstDay, import.LastDay));
        Assert.Equal(359L * 4, import.Trades); // one bar has no volume: no trade
        var bars = Calc(import.Vault, "bars_1m");
        var vwaps = Calc(import.Vault, "vwap");
        var csv = File.ReadAllLines(Fixture("bars_1m_btc.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(1440, bars.Count); // a closed day: every minute, the ones after the data carry the last close
        for (var i = 0; i < csv.Count; i++)
        {
            var (bar, vwap, row) = (bars[i], vwaps[i], csv[i]);
            Assert.Equal(row[0], bar.GetProperty("minute").GetString());
            var volume = D(row[5]);
            Assert.Equal(volume, D(bar, "volBase"));
            Assert.Equal(0m, D(bar, "maxMove5sBps")); // trades 15 s apart: no 5-second move, the halt never fires
            if (volume == 0)
            {
                continue; // no trade: the calculators carry the last close
            }

            Assert.Equal((D(row[1]), D(row[2]), D(row[3]), D(row[4])),
                (D(bar, "open"), D(bar, "high"), D(bar, "low"), D(bar, "close")));
            // The bar's VWAP is its ohlc4: four trades of a quarter of the volume each.
            var ohlc4 = (D(row[1]) + D(row[2]) + D(row[3]) + D(row[4])) / 4m;
            Assert.Equal(Math.Round(ohlc4, 10), Math.Round(D(vwap, "vwap1m"), 10));
        }
    }

    [Fact]
    public void Import_BadLines_RefusedWithFileAndLineOfEach()
    {
        var path = Fixture("bars_bad_lines.csv");

        var ex = Assert.Throws<CsvImportException>(() => CsvMarketImporter.Import([path], "okx", "BTC-USDT-SWAP", _dir.File("scratch")));

        Assert.Equal(3, ex.Count);
        Assert.Equal([4L, 6L, 8L], ex.Issues.Select(i => i.Line));
        Assert.All(ex.Issues, i => Assert.Equal(path, i.File));
        Assert.Contains("do not contain open", ex.Issues[0].Reason, StringComparison.Ordinal);
        Assert.Contains("not the start of a minute", ex.Issues[1].Reason, StringComparison.Ordinal);
        Assert.Equal("high 'abc' is not a number", ex.Issues[2].Reason);
        Assert.StartsWith(path + ":4: ", ex.Issues[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Import_EpochSecondsQuotedCrlf_TicksWithTickRuleSides()
    {
        var import = CsvMarketImporter.Import([Fixture("ticks_epoch_seconds.csv")], "okx", "BTC-USDT-SWAP", _dir.File("scratch"));

        Assert.Equal((CsvKind.Ticks, 3L), (import.Kind, import.Rows));
        var trades = File.ReadAllLines(import.Vault.RawDayJsonl("okx", "BTC-USDT-SWAP", Day)).Select(new RawTradeParser().Parse).ToList();
        Assert.Equal([1772409600250L, 1772409601000L, 1772409601500L], trades.Select(t => t.Ts));
        Assert.Equal(["90000.5", "90001", "90000"], trades.Select(t => t.Px));
        Assert.Equal(["0.01", "0.02", "0.001"], trades.Select(t => t.QtyBase));
        Assert.Equal(["buy", "buy", "sell"], trades.Select(t => t.Side)); // first, uptick, downtick
        Assert.Equal(["1", "2", "3"], trades.Select(t => t.TradeId));
    }

    [Fact]
    public void Import_TicksOutOfOrder_LineRefused()
    {
        var path = _dir.File("ticks.csv");
        File.WriteAllLines(path, ["1772409601000,90000,1", "1772409600000,90001,1", "1772409602000,90002,1"]);

        var ex = Assert.Throws<CsvImportException>(() => CsvMarketImporter.Import([path], "okx", "BTC-USDT-SWAP", _dir.File("scratch")));

        var issue = Assert.Single(ex.Issues);
        Assert.Equal(2, issue.Line);
        Assert.Contains("ticks must be in time order", issue.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Import_BarsThenTicks_RefusedAsMixedKinds()
    {
        var ex = Assert.Throws<CsvImportException>(() => CsvMarketImporter.Import(
            [Fixture("bars_1m_btc.csv"), Fixture("ticks_btc.csv")], "okx", "BTC-USDT-SWAP", _dir.File("scratch")));

        Assert.Contains("ticks after 1-minute bars", Assert.Single(ex.Issues).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Contract_UsdQuotedSwap_IsInverseInTheCoin()
    {
        Assert.Equal((true, "BTC"), (CsvMarketImporter.Contract("BTC-USD-SWAP").Inverse, CsvMarketImporter.Contract("BTC-USD-SWAP").PnlCcy));
        Assert.Equal((false, "USDT"), (CsvMarketImporter.Contract("BTCUSDT").Inverse, CsvMarketImporter.Contract("BTCUSDT").PnlCcy));
    }

    private static List<JsonElement> Calc(VaultLayout vault, string calc)
    {
        if (!File.Exists(vault.DerivedDay("bars_1m", "okx", "BTC-USDT-SWAP", Day)))
        {
            ClosedDays.Mark(vault, "okx", "BTC-USDT-SWAP", Day, "test", DateTimeOffset.UnixEpoch);
            CalculatorRunner.RunOnce(vault, new CalcOptions(), "okx", "BTC-USDT-SWAP", CancellationToken.None);
        }

        return [.. File.ReadAllLines(vault.DerivedDay(calc, "okx", "BTC-USDT-SWAP", Day)).Select(l => JsonDocument.Parse(l).RootElement)];
    }

    private static decimal D(string text) => decimal.Parse(text, CultureInfo.InvariantCulture);

    private static decimal D(JsonElement e, string name) => D(e.GetProperty(name).GetString()!);

    public void Dispose() => _dir.Dispose();
}
