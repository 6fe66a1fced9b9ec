using System.Text;
using Pipeline.Vault.Jsonl;

namespace Pipeline.Vault.Tests.Jsonl;

public sealed class JsonlAppenderTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Open_TornTail_CutsPartialLineAndReportsBytes()
    {
        var path = _dir.File("day.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n{\"a\":2}\n{\"a\":3");

        using (var appender = JsonlAppender.Open(path))
        {
            Assert.Equal(6, appender.RepairedBytes);
            Assert.Equal(16, appender.Length);
            appender.AppendLine("{\"a\":4}"u8);
        }

        Assert.Equal("{\"a\":1}\n{\"a\":2}\n{\"a\":4}\n", File.ReadAllText(path));
    }

    [Fact]
    public void Open_NoNewlineAtAll_CutsEverything()
    {
        var path = _dir.File("day.jsonl");
        File.WriteAllText(path, "{\"a\":1");
        using var appender = JsonlAppender.Open(path);
        Assert.Equal(6, appender.RepairedBytes);
        Assert.Equal(0, new FileInfo(path).Length);
    }

    [Fact]
    public void Open_CleanFile_RepairsNothing()
    {
        var path = _dir.File("day.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n");
        using var appender = JsonlAppender.Open(path);
        Assert.Equal(0, appender.RepairedBytes);
        Assert.Equal(8, appender.Length);
    }

    [Fact]
    public void Open_TruncateToRecordedLength_DropsLinesWrittenAfterTheState()
    {
        var path = _dir.File("out.jsonl");
        File.WriteAllText(path, "{\"m\":1}\n{\"m\":2}\n");
        using (var appender = JsonlAppender.Open(path, truncateTo: 8))
        {
            appender.AppendLine("{\"m\":2}"u8);
        }

        Assert.Equal("{\"m\":1}\n{\"m\":2}\n", File.ReadAllText(path));
    }

    [Fact]
    public void Open_TruncateBeyondFile_ThrowsClearError()
    {
        var path = _dir.File("out.jsonl");
        File.WriteAllText(path, "{\"m\":1}\n");
        var ex = Assert.Throws<InvalidDataException>(() => JsonlAppender.Open(path, truncateTo: 100));
        Assert.Contains("state expects", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AppendLine_Buffered_NotOnDiskUntilFlush()
    {
        var path = _dir.File("nested", "deeper", "day.jsonl");
        using var appender = JsonlAppender.Open(path);
        appender.AppendLine("{\"x\":1}"u8);
        Assert.Equal(0, new FileInfo(path).Length);
        Assert.Equal(8, appender.Length);
        appender.Sync();
        Assert.Equal(8, new FileInfo(path).Length);
    }

    [Fact]
    public void AppendLine_ManyLargeLines_AllWrittenInOrder()
    {
        var path = _dir.File("big.jsonl");
        var line = Encoding.ASCII.GetBytes("{\"pad\":\"" + new string('x', 5000) + "\"}");
        using (var appender = JsonlAppender.Open(path, bufferSize: 4096))
        {
            for (var i = 0; i < 200; i++)
            {
                appender.AppendLine(line);
            }
        }

        var lines = File.ReadAllLines(path);
        Assert.Equal(200, lines.Length);
        Assert.All(lines, l => Assert.Equal(line.Length, l.Length));
    }

    [Fact]
    public void SyncIfDue_WithinOneSecond_DoesNotSync()
    {
        var time = TestClock.Create();
        var path = _dir.File("t.jsonl");
        using var appender = JsonlAppender.Open(path, time: time);
        appender.AppendLine("{}"u8);
        Assert.False(appender.SyncIfDue());
        time.Advance(TimeSpan.FromMilliseconds(1001));
        Assert.True(appender.SyncIfDue());
        Assert.Equal(3, new FileInfo(path).Length);
        Assert.False(appender.SyncIfDue()); // nothing new
    }

    [Fact]
    public void EndLine_WithoutNewline_Throws()
    {
        using var appender = JsonlAppender.Open(_dir.File("x.jsonl"));
        var span = appender.GetSpan(2);
        span[0] = (byte)'{';
        span[1] = (byte)'}';
        appender.Advance(2);
        Assert.Throws<InvalidOperationException>(appender.EndLine);
        appender.DiscardPartialLine();
        Assert.Equal(0, appender.Length);
    }
}
