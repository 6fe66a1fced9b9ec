using System.Globalization;
using System.Text;
using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Tests.Jsonl;

public sealed class JsonlReaderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TryReadLine_PartialLastLine_StopsBeforeItAndResumesLater()
    {
        var path = _dir.File("a.jsonl");
        File.WriteAllText(path, "one\ntwo\nthr");
        using var reader = JsonlReader.Open(path);
        Assert.True(reader.TryReadLine(out var line, out var offset));
        Assert.Equal("one", Encoding.ASCII.GetString(line));
        Assert.Equal(0, offset);
        Assert.True(reader.TryReadLine(out line, out offset));
        Assert.Equal("two", Encoding.ASCII.GetString(line));
        Assert.Equal(4, offset);
        Assert.False(reader.TryReadLine(out _, out _));
        Assert.Equal(8, reader.Offset);

        File.AppendAllText(path, "ee\n");
        Assert.True(reader.TryReadLine(out line, out offset));
        Assert.Equal("three", Encoding.ASCII.GetString(line));
        Assert.Equal(8, offset);
        Assert.Equal(14, reader.Offset);
    }

    [Fact]
    public void Open_FromOffset_ReadsOnlyLaterLines()
    {
        var path = _dir.File("a.jsonl");
        File.WriteAllText(path, "one\ntwo\n");
        using var reader = JsonlReader.Open(path, 4);
        Assert.True(reader.TryReadLine(out var line, out _));
        Assert.Equal("two", Encoding.ASCII.GetString(line));
        Assert.False(reader.TryReadLine(out _, out _));
    }

    [Fact]
    public void TryReadLine_LineLongerThanBuffer_ReturnsWholeLine()
    {
        var path = _dir.File("long.jsonl");
        var longLine = new string('z', 10_000);
        File.WriteAllText(path, longLine + "\nshort\n");
        using var reader = JsonlReader.Open(path, bufferSize: 1024);
        Assert.True(reader.TryReadLine(out var line, out _));
        Assert.Equal(10_000, line.Length);
        Assert.True(reader.TryReadLine(out line, out var offset));
        Assert.Equal("short", Encoding.ASCII.GetString(line));
        Assert.Equal(10_001, offset);
    }

    [Fact]
    public async Task Reader_RacingWriterOf100kLines_NeverSeesPartialLineAndGetsEveryLine()
    {
        const int total = 100_000;
        var path = _dir.File("race.jsonl");
        using (JsonlAppender.Open(path))
        {
            // the file exists before the reader opens it
        }

        var writer = Task.Run(() =>
        {
            // A tiny buffer forces many small writes, so the reader often meets a line cut mid-way.
            using var appender = JsonlAppender.Open(path, bufferSize: 97);
            for (var i = 0; i < total; i++)
            {
                appender.AppendLine(Encoding.ASCII.GetBytes($"{{\"n\":{i},\"pad\":\"{new string('p', i % 13)}\"}}"));
                if (i % 1000 == 0)
                {
                    appender.Sync();
                }
            }
        });

        var expected = 0;
        var partials = 0;
        using (var reader = JsonlReader.Open(path, bufferSize: 64))
        {
            while (true)
            {
                var done = writer.IsCompleted;
                while (reader.TryReadLine(out var line, out _))
                {
                    var text = Encoding.ASCII.GetString(line);
                    if (!text.StartsWith("{\"n\":", StringComparison.Ordinal) || !text.EndsWith("\"}", StringComparison.Ordinal))
                    {
                        partials++;
                    }
                    else
                    {
                        var n = int.Parse(text.AsSpan(5, text.IndexOf(',', StringComparison.Ordinal) - 5), CultureInfo.InvariantCulture);
                        Assert.Equal(expected, n);
                        expected++;
                    }
                }

                if (done)
                {
                    break;
                }

                await Task.Yield();
            }
        }

        await writer;
        Assert.Equal(0, partials);
        Assert.Equal(total, expected);
    }

    [Fact]
    public void RawTradeFile_CorruptLine_ReportedWithFileAndOffset()
    {
        var path = _dir.File("2025-01-01.jsonl");
        var good = RawTradeWriter.ToLine(new RawTrade
        {
            Exchange = "okx", InstId = "BTC-USDT-SWAP", TradeId = "1", Ts = 1735689600000, Px = "1", Sz = "1", Side = "buy",
            CtVal = "0.01", CtMult = "1", CtType = "linear", CtValCcy = "BTC", QtyBase = "0.01", RecvTs = 1735689600001, Src = "ws",
        });
        File.WriteAllText(path, good + "not json\n" + good);
        var issues = new List<LineIssue>();
        var trades = RawTradeFile.ReadAll(path, issues);
        Assert.Equal(2, trades.Count);
        var issue = Assert.Single(issues);
        Assert.Equal(path, issue.File);
        Assert.Equal(good.Length, issue.Offset);
        Assert.Contains("invalid JSON", issue.Reason, StringComparison.Ordinal);
    }
}
