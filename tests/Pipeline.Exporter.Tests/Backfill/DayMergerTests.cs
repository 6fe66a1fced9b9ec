using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Backfill;
using Pipeline.Exporter.Binance;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Io;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;
using Serilog.Core;

namespace Pipeline.Exporter.Tests.Backfill;

public sealed class DayMergerTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 11, 20);
    private static readonly long Start = TradeTime.DayStartMs(Day);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly BinanceFrameParser _parser = new(["BTCUSDT"]);

    public DayMergerTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private TradeItem Trade(long id, long ts)
    {
        Assert.Equal(BinanceFrameKind.Trades, _parser.ParseFrame(TestSpecs.BinanceTradeFrame("BTCUSDT", id, ts), Start + TradeTime.MsPerDay * 3));
        var item = _parser.Items[0];
        item.Src = TradeSource.Archive;
        return item;
    }

    [Fact]
    public void Merge_ArchiveRowsWithImplausibleEventTimes_AreQuarantinedNotWritten()
    {
        TradeItem[] trades =
        [
            Trade(1, Start + 1000),
            Trade(2, 1_000_000_000_000_000), // ts = 1e15 ms (year 33658)
            Trade(3, 4_102_444_800_000), // 2100-01-01
            Trade(4, 946_684_800_000), // 2000-01-01, far in the past
            Trade(5, Start + 2000),
        ];
        DayMerger.Result result;
        var now = new DateOnly(2026, 11, 23); // the backfill runs three days later: the quarantine file is that day's
        var time = new FakeTimeProvider(new DateTimeOffset(now, TimeOnly.MinValue, TimeSpan.Zero).AddHours(9));
        using (var quarantine = new Quarantine(_vault, "binance", time))
        using (var writer = WriterLock.Acquire(_vault, "binance", "BTCUSDT", "backfill"))
        {
            result = new DayMerger(_vault, Logger.None, quarantine).Merge(writer, TestSpecs.Binance, Day, trades);
        }

        Assert.Equal(2, result.Added);
        Assert.Equal(3, result.Quarantined);
        Assert.Equal([Day], _vault.RawDays("binance", "BTCUSDT")); // no 2100-01-01 or 2000-01-01 file
        Assert.Equal(["1", "5"], RawTradeFile.ReadAll(_vault.RawDayJsonl("binance", "BTCUSDT", Day)).Select(t => t.TradeId));
        var lines = File.ReadAllLines(_vault.QuarantineDay("binance", now));
        Assert.Equal(3, lines.Length);
        Assert.All(lines, line =>
        {
            using var json = JsonDocument.Parse(line);
            Assert.Contains("is not in the day", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Merge_WithTheLockOfAnotherInstrument_IsRefused()
    {
        using var writer = WriterLock.Acquire(_vault, "binance", "ETHUSDT", "backfill");
        Assert.Throws<ArgumentException>(() => new DayMerger(_vault, Logger.None).Merge(writer, TestSpecs.Binance, Day, [Trade(1, Start)]));
    }
}
