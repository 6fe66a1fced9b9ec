using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;

namespace Pipeline.Exporter.Tests.Recording;

public sealed class InstrumentRecorderTests : IDisposable
{
    private static readonly long Midnight = TradeTime.DayStartMs(new DateOnly(2026, 3, 2));
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly OkxFrameParser _parser = new(["BTC-USDT-SWAP"]);

    // A fixed now one hour into the test day (every fed trade lies in the past); the reorder window passes by Advance.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Midnight + (60 * TradeTime.MsPerMinute)));

    public InstrumentRecorderTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private InstrumentRecorder Open()
    {
        var recorder = new InstrumentRecorder(TestSpecs.OkxLinear, _vault, TestSpecs.Options("okx", "BTC-USDT-SWAP"), _time);
        recorder.Open();
        return recorder;
    }

    private void Feed(InstrumentRecorder recorder, long id, long ts, TradeSource src = TradeSource.Ws)
    {
        Assert.Equal(OkxFrameKind.Trades, _parser.Parse(TestSpecs.OkxTradeFrame("BTC-USDT-SWAP", id, ts), ts + 5, src));
        recorder.Accept(_parser.Items[0]);
    }

    private List<RawTrade> Day(DateOnly day) => RawTradeFile.ReadAll(_vault.RawDayJsonl("okx", "BTC-USDT-SWAP", day));

    [Fact]
    public void Accept_TradesAroundMidnight_GoToTheirOwnDaysFiles()
    {
        using (var recorder = Open())
        {
            Feed(recorder, 1, Midnight - 1);
            Feed(recorder, 2, Midnight);
            Feed(recorder, 3, Midnight - 2); // late, from before midnight
        }

        Assert.Equal(["1", "3"], Day(new DateOnly(2026, 3, 1)).Select(t => t.TradeId));
        Assert.Equal(["2"], Day(new DateOnly(2026, 3, 2)).Select(t => t.TradeId));
    }

    [Fact]
    public void Accept_DuplicatesAndReorderAcrossRestart_WritesEveryIdOnce()
    {
        using (var recorder = Open())
        {
            Feed(recorder, 10, Midnight + 10);
            Feed(recorder, 12, Midnight + 12); // reordered: 12 before 11
            Feed(recorder, 10, Midnight + 10); // duplicate
            Assert.Equal(1, recorder.Duplicates);
        }

        var state = new StateFile<ExporterState>(_vault.ExporterState("okx", "BTC-USDT-SWAP")).Read()!;
        Assert.Equal("10", state.LastTradeId);
        Assert.Equal("stopped", state.Connection);
        using (var recorder = Open())
        {
            Assert.Equal(1, recorder.PendingIds); // 12 was rebuilt from the file tail
            Feed(recorder, 12, Midnight + 12);
            Feed(recorder, 11, Midnight + 11);
            Feed(recorder, 13, Midnight + 13);
            Assert.Equal(13, recorder.ContiguousAfterTick());
            Assert.Equal(2, recorder.Duplicates); // counters survive the restart
        }

        Assert.Equal(["10", "12", "11", "13"], Day(new DateOnly(2026, 3, 2)).Select(t => t.TradeId));
    }

    [Fact]
    public void Open_AfterCrashWithoutStateWrite_RebuildsDedupFromTheTail()
    {
        using (var recorder = Open())
        {
            Feed(recorder, 1, Midnight + 1);
            recorder.WriteState();
        }

        // Simulate a crash: lines appended and synced after the last state write.
        var path = _vault.RawDayJsonl("okx", "BTC-USDT-SWAP", new DateOnly(2026, 3, 2));
        using (var appender = Pipeline.Vault.Jsonl.JsonlAppender.Open(path))
        {
            var writer = new TradeLineWriter(TestSpecs.OkxLinear);
            _parser.Parse(TestSpecs.OkxTradeFrame("BTC-USDT-SWAP", 2, Midnight + 2), 0, TradeSource.Ws);
            writer.Write(appender, _parser.Items[0]);
            appender.EndLine();
            appender.AppendLine("{\"exchange\":\"okx\",\"instId\":\"BTC-USDT-SWAP\",\"tradeId\":\"3\""u8[..20]); // a torn tail
        }

        File.WriteAllBytes(path, [.. File.ReadAllBytes(path)[..^1]]); // drop the newline: torn
        using (var recorder = Open())
        {
            Assert.Equal(2, recorder.ContiguousId);
            Feed(recorder, 2, Midnight + 2);
            Feed(recorder, 3, Midnight + 3);
            Assert.Equal(1, recorder.Duplicates);
        }

        Assert.Equal(["1", "2", "3"], Day(new DateOnly(2026, 3, 2)).Select(t => t.TradeId));
    }

    [Fact]
    public void Tick_HoleOlderThanReorderWindow_RequestsBoundedFill_AndFillDoneSettlesAbsentIds()
    {
        using var recorder = Open();
        (long From, long? To)? asked = null;
        recorder.FillRequested = (from, to) => asked = (from, to);
        Feed(recorder, 100, Midnight + 100);
        Feed(recorder, 105, Midnight + 105);
        _time.Advance(TimeSpan.FromMilliseconds(250)); // past the test options' 200 ms reorder window
        recorder.Tick();
        Assert.Equal((100L, (long?)105L), asked);
        Feed(recorder, 102, Midnight + 102, TradeSource.Rest);
        recorder.Accept(TradeItem.Control(TradeItemKind.FillDone, 100, 105));
        Assert.Equal(105, recorder.ContiguousAfterTick());
        Assert.Equal(1, recorder.GapFilled);
    }
}

internal static class RecorderTestExtensions
{
    public static long ContiguousAfterTick(this InstrumentRecorder recorder)
    {
        recorder.Tick();
        return recorder.ContiguousId;
    }
}
