using System.Text.Json;
using Pipeline.Vault.DuckDb;

namespace Pipeline.Vault.Tests.DuckDb;

/// <summary>
/// The views take exchange, instId and date from the file path, so DuckDB's multi-file reader evaluates a
/// filter on them against the file names and opens only the matching day files (the profile's "Total Files
/// Read" and "Filename(s)" of every scan).
/// </summary>
public sealed class QueryPruningTests
{
    private static readonly DateOnly[] Days = [new(2024, 7, 3), new(2024, 7, 4), new(2024, 7, 5)];

    private static TestVault Vault()
    {
        var vault = TestVault.Create();
        var id = 1;
        foreach (var (exchange, instId) in new[] { ("okx", "BTC-USDT-SWAP"), ("okx", "ETH-USDT-SWAP"), ("binance", "BTCUSDT") })
        {
            foreach (var day in Days)
            {
                var ts = new DateTimeOffset(day.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero).ToUnixTimeMilliseconds();
                vault.WriteTrades(
                    TestVault.Trade(exchange, instId, id++, ts, "65000.1", "1", "0.01"),
                    TestVault.Trade(exchange, instId, id++, ts + 1, "65000.2", "2", "0.02"));
                TestVault.WriteLines(vault.Layout.DerivedDay("bars_1m", exchange, instId, day),
                    $$"""{"minute":"{{day:yyyy-MM-dd}}T12:00:00Z","exchange":"{{exchange}}","instId":"{{instId}}","close":"65000.2"}""");
            }

            vault.CompactDay(exchange, instId, Days[0]); // one day of each instrument as Parquet, the others JSONL
        }

        return vault;
    }

    /// <summary>The TABLE_SCAN operators of a JSON profile: files read, their names, rows produced.</summary>
    private static List<(int FilesRead, string Files, long Rows)> Scans(DuckDbConnection connection, string sql)
    {
        using var reader = connection.Query("EXPLAIN (ANALYZE, FORMAT json) " + sql);
        Assert.True(reader.Read());
        using var profile = JsonDocument.Parse(reader.GetString(1));
        var scans = new List<(int, string, long)>();
        void Walk(JsonElement node)
        {
            if (node.TryGetProperty("operator_type", out var type) && type.GetString() == "TABLE_SCAN")
            {
                var info = node.GetProperty("extra_info");
                var read = info.TryGetProperty("Total Files Read", out var n) ? int.Parse(n.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : 0;
                var names = info.TryGetProperty("Filename(s)", out var f) ? f.ToString() : "";
                scans.Add((read, names, node.GetProperty("operator_cardinality").GetInt64())); // rows the scan produced
            }

            if (node.TryGetProperty("children", out var children))
            {
                foreach (var child in children.EnumerateArray())
                {
                    Walk(child);
                }
            }
        }

        Walk(profile.RootElement);
        return scans;
    }

    [Theory]
    [InlineData(0)] // the Parquet day
    [InlineData(1)] // a JSONL day
    public void QueryPruning_FilterOnExchangeInstIdDate_ReadsOnlyTheMatchingDayFiles(int dayIndex)
    {
        using var vault = Vault();
        using var connection = DuckDbConnection.OpenInMemory();
        connection.Execute("SET TimeZone = 'UTC'");
        Assert.Empty(VaultViews.Create(connection, vault.Layout));
        var day = Days[dayIndex];
        var filter = $"exchange = 'okx' and instId = 'BTC-USDT-SWAP' and date = DATE '{day:yyyy-MM-dd}'";

        var trades = Scans(connection, $"select sum(px * qtyBase) from trades where {filter}");
        Assert.True(trades.Sum(s => s.FilesRead) == 1, string.Join("\n", trades)); // of 9 trade days
        var file = dayIndex == 0
            ? vault.Layout.RawDayParquet("okx", "BTC-USDT-SWAP", day)
            : vault.Layout.RawDayJsonl("okx", "BTC-USDT-SWAP", day);
        Assert.Contains(file, string.Concat(trades.Select(s => s.Files)), StringComparison.Ordinal);
        Assert.Equal(2, trades.Sum(s => s.Rows));

        var bars = Scans(connection, $"select count(*) from bars_1m where {filter}");
        Assert.Equal(1, bars.Sum(s => s.FilesRead));
        Assert.Contains(vault.Layout.DerivedDay("bars_1m", "okx", "BTC-USDT-SWAP", day), string.Concat(bars.Select(s => s.Files)), StringComparison.Ordinal);

        // The same filter on the exchange alone reads that exchange's files only: 6 trade days, 6 bar days.
        Assert.Equal(6, Scans(connection, "select count(*) from trades where exchange = 'okx'").Sum(s => s.FilesRead));
        Assert.Equal(6, Scans(connection, "select count(*) from bars_1m where exchange = 'okx'").Sum(s => s.FilesRead));
        Assert.Equal(9, Scans(connection, "select count(*) from trades").Sum(s => s.FilesRead));
    }

    [Theory]
    [InlineData(0)] // the Parquet day
    [InlineData(1)] // a JSONL day
    public void QueryPruning_MicroViewsFilterOnExchangeInstIdDate_ReadsOnlyTheMatchingDayFiles(int dayIndex)
    {
        using var vault = TestVault.Create();
        foreach (var (exchange, instId) in new[] { ("okx", "BTC-USDT-SWAP"), ("binance", "BTCUSDT") })
        {
            foreach (var recorded in Days)
            {
                var ts = new DateTimeOffset(recorded.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero).ToUnixTimeMilliseconds();
                vault.AppendMicro(
                    new Pipeline.Vault.Micro.QuoteRecord { Exchange = exchange, InstId = instId, Ts = ts, Seq = ts, BidPx = "1.5", BidSz = "2", AskPx = "1.6", AskSz = "3", RecvTs = ts, Src = "ws" },
                    new Pipeline.Vault.Micro.BookRecord { Exchange = exchange, InstId = instId, Type = Pipeline.Vault.Micro.BookRecordType.Snapshot, Ts = ts, Seq = 1, Bids = [new("1.5", "2")], Asks = [new("1.6", "3")], RecvTs = ts, Src = "ws" },
                    new Pipeline.Vault.Micro.LiquidationRecord { Exchange = exchange, InstId = instId, Ts = ts, Side = "sell", Px = "1.5", Sz = "2", RecvTs = ts, Src = "ws" },
                    new Pipeline.Vault.Micro.DerivativesRecord { Exchange = exchange, InstId = instId, Ts = ts, Channel = "mark-price", MarkPx = "1.55", RecvTs = ts, Src = "ws" });
            }
        }

        // One day of each kind and instrument as Parquet (by the compactor), the others JSONL.
        var report = new Pipeline.Vault.Compaction.VaultCompactor(vault.Layout,
            new Pipeline.Vault.Compaction.CompactionOptions { Before = Days[1], Time = TestClock.At(Days[2].AddDays(1), TimeOnly.MinValue) }).Run();
        Assert.Equal(8, report.Compacted);
        using var connection = DuckDbConnection.OpenInMemory();
        connection.Execute("SET TimeZone = 'UTC'");
        Assert.Empty(VaultViews.Create(connection, vault.Layout));
        var day = Days[dayIndex];
        foreach (var kind in Pipeline.Vault.Micro.MicroKinds.All)
        {
            var view = Pipeline.Vault.Micro.MicroKinds.Name(kind);
            var scans = Scans(connection, $"select count(*) from {view} where exchange = 'okx' and instId = 'BTC-USDT-SWAP' and date = DATE '{day:yyyy-MM-dd}'");
            Assert.True(scans.Sum(s => s.FilesRead) == 1, view + ": " + string.Join("\n", scans)); // of 6 day files
            var jsonl = vault.Layout.MicroDayJsonl(kind, "okx", "BTC-USDT-SWAP", day);
            Assert.Contains(dayIndex == 0 ? Path.ChangeExtension(jsonl, ".parquet") : jsonl, string.Concat(scans.Select(s => s.Files)), StringComparison.Ordinal);
            Assert.Equal(3, Scans(connection, $"select count(*) from {view} where exchange = 'okx'").Sum(s => s.FilesRead));
        }
    }

    [Fact]
    public void VaultViews_Create_ReadsNoJsonFile()
    {
        // Unreadable JSONL content cannot matter to creation: nothing is sampled.
        using var vault = TestVault.Create();
        TestVault.WriteLines(vault.Layout.DerivedDay("bands", "okx", "BTC-USDT-SWAP", Days[0]), "not json at all {{{");
        TestVault.WriteLines(vault.Layout.RawDayJsonl("okx", "BTC-USDT-SWAP", Days[0]), "\u0000\u0001 garbage");
        using var connection = DuckDbConnection.OpenInMemory();
        Assert.Empty(VaultViews.Create(connection, vault.Layout));
        using var reader = connection.Query("select count(*) from information_schema.columns where table_name = 'bands'");
        Assert.True(reader.Read());
        Assert.Equal(1 + 3 + 3 + (3 * 2 * ViewSchemas.DefaultBandMultipliers.Count), reader.GetInt64(0)); // minute, path, sigmas, bands
    }
}
