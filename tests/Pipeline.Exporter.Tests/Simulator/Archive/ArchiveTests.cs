using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Simulator;
using Pipeline.Simulator.Market;

namespace Pipeline.Exporter.Tests.Simulator.Archive;

[Collection(SocketTestGroup.Collection)]
public sealed class ArchiveTests
{
    private static readonly DateTimeOffset March1Utc = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    private static SimulatorOptions Options => new()
    {
        Rate = 1,
        Start = SimTestKit.PastStart,
        Instruments = ["BTC-USDT-SWAP", "BTC-USD-SWAP", "BTCUSDT"],
        OkxLegacyArchive = ["BTC-USD-SWAP"],
    };

    private static string[] CsvLines(byte[] zip, out string entryName)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        var entry = Assert.Single(archive.Entries);
        entryName = entry.FullName;
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [Fact]
    public async Task Binance_DailyZip_ChecksumAndRowsEqualTheGenerator()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var url = SimulatorEndpoints.Text(host.Endpoints.Archive) + "/data/futures/um/daily/aggTrades/BTCUSDT/BTCUSDT-aggTrades-2026-03-01.zip";
        var zip = await client.GetByteArrayAsync(new Uri(url));
        var checksum = await client.GetStringAsync(new Uri(url + ".CHECKSUM"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)) + "  BTCUSDT-aggTrades-2026-03-01.zip\n", checksum);

        var lines = CsvLines(zip, out var entry);
        Assert.Equal("BTCUSDT-aggTrades-2026-03-01.csv", entry);
        Assert.Equal("agg_trade_id,price,quantity,first_trade_id,last_trade_id,transact_time,is_buyer_maker", lines[0]);
        var generator = new MarketGenerator(SimInstruments.Find("BTCUSDT"), 1, 1);
        var start = March1Utc.ToUnixTimeMilliseconds();
        var expected = generator.PrintsBetween(start, start + 86_400_000 - 1)
            .Select(p => $"{p.Ordinal},{generator.Instrument.FormatPrice(p.PriceUnits)},{generator.Instrument.FormatSize(p.SizeUnits)},{p.FirstId},{p.LastId},{p.Ts},{(p.Buy ? "false" : "true")}")
            .ToList();
        Assert.True(expected.Count > 10_000);
        Assert.Equal(expected, lines.Skip(1));

        // Today (UTC) is not over in simulated time: no file yet.
        using var today = await client.GetAsync(new Uri(url.Replace("2026-03-01", "2026-03-02", StringComparison.Ordinal)));
        Assert.Equal(404, (int)today.StatusCode);
    }

    [Fact]
    public async Task Okx_DailyZip_CoversTheUtcPlus8Day_ListedByMarketDataHistory()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var begin = March1Utc.AddDays(-2).ToUnixTimeMilliseconds();
        var end = March1Utc.AddDays(1).ToUnixTimeMilliseconds();
        var (status, body) = await SimTestKit.GetJsonAsync(client,
            $"{host.Endpoints.OkxRest}api/v5/public/market-data-history?module=1&instType=SWAP&instFamilyList=BTC-USDT&dateAggrType=daily&begin={begin}&end={end}");
        Assert.Equal(200, status);
        var files = body.GetProperty("data")[0].GetProperty("details").EnumerateArray()
            .SelectMany(d => d.GetProperty("groupDetails").EnumerateArray())
            .Select(g => (Name: g.GetProperty("filename").GetString()!, Url: g.GetProperty("url").GetString()!)).ToList();

        // 2026-03-02 (UTC+8) runs to 03-02 16:00Z, after the simulated now: not listed. Newest first.
        Assert.Equal(["BTC-USDT-SWAP-trades-2026-03-01.zip", "BTC-USDT-SWAP-trades-2026-02-28.zip", "BTC-USDT-SWAP-trades-2026-02-27.zip"],
            files.Select(f => f.Name));
        var zip = await client.GetByteArrayAsync(new Uri(files[0].Url));
        var lines = CsvLines(zip, out var entry);
        Assert.Equal("BTC-USDT-SWAP-trades-2026-03-01.csv", entry);
        Assert.Equal("instrument_name,trade_id,side,price,size,created_time,source", lines[0]);

        var dayStart = March1Utc.AddHours(-8).ToUnixTimeMilliseconds(); // 2026-02-28T16:00Z
        var generator = new MarketGenerator(SimInstruments.Find("BTC-USDT-SWAP"), 1, 1);
        var expected = generator.FillsBetween(dayStart, dayStart + 86_400_000 - 1).ToList();
        Assert.Equal(expected.Count, lines.Length - 1);
        var firstRow = lines[1].Split(',');
        var lastRow = lines[^1].Split(',');
        Assert.Equal(expected[0].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), firstRow[1]);
        Assert.True(long.Parse(firstRow[5], System.Globalization.CultureInfo.InvariantCulture) >= dayStart);
        Assert.True(long.Parse(lastRow[5], System.Globalization.CultureInfo.InvariantCulture) < dayStart + 86_400_000);
        Assert.Equal("0", lastRow[6]);

        // The next file starts right after: ids continue across the boundary.
        var before = CsvLines(await client.GetByteArrayAsync(new Uri(files[1].Url)), out _);
        Assert.Equal(long.Parse(before[^1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture) + 1,
            long.Parse(firstRow[1], System.Globalization.CultureInfo.InvariantCulture));

        using var notYet = await client.GetAsync(new Uri(files[0].Url.Replace("20260301", "20260302", StringComparison.Ordinal)
            .Replace("2026-03-01", "2026-03-02", StringComparison.Ordinal)));
        Assert.Equal(404, (int)notYet.StatusCode);
    }

    [Fact]
    public async Task Okx_LegacyInstrument_BilingualHeaderSizeBeforePrice()
    {
        await using var host = await SimTestKit.StartAsync(Options);
        using var client = new HttpClient();
        var url = SimulatorEndpoints.Text(host.Endpoints.Archive) + "/cdn/okex/traderecords/trades/daily/20260301/BTC-USD-SWAP-trades-2026-03-01.zip";
        var lines = CsvLines(await client.GetByteArrayAsync(new Uri(url)), out _);
        Assert.Equal("trade_id/交易id,side/交易方向,size/数量,price/价格,created_time/成交时间", lines[0]);
        var row = lines[1].Split(',');
        Assert.Equal(5, row.Length);
        Assert.Matches("^(buy|sell)$", row[1]);
        Assert.Matches(@"^\d+$", row[2]); // contracts (lot 1)
        Assert.Matches(@"^\d+(\.\d)?$", row[3]); // a price on the 0.1 grid
    }
}
