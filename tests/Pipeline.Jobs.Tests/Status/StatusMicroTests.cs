using System.Text.Json;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Micro;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Status;

/// <summary>pipeline status lists each recorded microstructure kind per instrument: days, lines, newest event time.</summary>
public sealed class StatusMicroTests : IDisposable
{
    private static readonly DateOnly Day = new(2026, 3, 2);
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private void WriteQuotes(DateOnly day, int count)
    {
        var vault = new VaultLayout(_dir.Path);
        using var appender = JsonlAppender.Open(vault.MicroDayJsonl(MicroKind.Quotes, "okx", "BTC-USDT-SWAP", day));
        for (var i = 0; i < count; i++)
        {
            var ts = TradeTime.DayStartMs(day) + 1000 + i;
            MicroLineWriter.Write(appender, new QuoteRecord
            {
                Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = ts, Seq = i + 1, BidPx = "1", BidSz = "1", AskPx = "2", AskSz = "1", RecvTs = ts, Src = "ws",
            });
            appender.EndLine();
        }
    }

    [Fact]
    public async Task Status_QuotesWithoutTrades_ShowsDaysLinesAndLastTime()
    {
        WriteQuotes(Day.AddDays(-1), 2);
        WriteQuotes(Day, 3);
        var (code, output, _) = await CliRunner.RunAsync("status", "--vault", _dir.Path);
        Assert.Equal(0, code);
        Assert.Contains("okx quotes BTC-USDT-SWAP: 2 days, 5 lines, last 2026-03-02 00:00:01.002", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_Json_ListsMicroKinds()
    {
        WriteQuotes(Day, 3);
        var (code, output, _) = await CliRunner.RunAsync("status", "--vault", _dir.Path, "--json");
        Assert.Equal(0, code);
        var micro = Assert.Single(JsonDocument.Parse(output).RootElement.GetProperty("micro").EnumerateArray());
        Assert.Equal("quotes", micro.GetProperty("kind").GetString());
        Assert.Equal(3, micro.GetProperty("lines").GetInt64());
        Assert.Equal(TradeTime.DayStartMs(Day) + 1002, micro.GetProperty("lastTs").GetInt64());
    }

    /// <summary>
    /// status read every byte of every microstructure day on every call (gigabytes a day of quotes); it now keeps the
    /// trades' length-keyed scan cache: the second call scans only what was appended, and still counts it.
    /// </summary>
    [Fact]
    public async Task Status_QuotesAppendedBetweenCalls_CountedThroughTheScanCache()
    {
        WriteQuotes(Day, 3);
        Assert.Equal(0, (await CliRunner.RunAsync("status", "--vault", _dir.Path)).Code);
        var cache = Path.Combine(_dir.Path, "state", "status", "okx", "quotes", "BTC-USDT-SWAP.json");
        Assert.True(File.Exists(cache), "no scan cache for the quotes");

        using (var appender = JsonlAppender.Open(new VaultLayout(_dir.Path).MicroDayJsonl(MicroKind.Quotes, "okx", "BTC-USDT-SWAP", Day)))
        {
            var ts = TradeTime.DayStartMs(Day) + 5000;
            MicroLineWriter.Write(appender, new QuoteRecord
            {
                Exchange = "okx", InstId = "BTC-USDT-SWAP", Ts = ts, Seq = 9, BidPx = "1", BidSz = "1", AskPx = "2", AskSz = "1", RecvTs = ts, Src = "ws",
            });
            appender.EndLine();
        }

        var (code, output, _) = await CliRunner.RunAsync("status", "--vault", _dir.Path);
        Assert.Equal(0, code);
        Assert.Contains("okx quotes BTC-USDT-SWAP: 1 day, 4 lines, last 2026-03-02 00:00:05.000", output, StringComparison.Ordinal);
    }
}
