using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Okx;
using Pipeline.Exporter.Recording;
using Pipeline.Vault.Io;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Serilog.Events;

namespace Pipeline.Exporter.Tests.Recording;

/// <summary>
/// What the recorder believes against what is on disk: one writer per instrument, the raw tail over a
/// wrong state, event times that must not pick a file or move the watermark, holes kept as known gaps.
/// </summary>
public sealed class InstrumentRecorderTruthTests : IDisposable
{
    private const string InstId = "BTC-USDT-SWAP";
    private static readonly DateOnly Day = new(2026, 3, 2);
    private static readonly long Midnight = TradeTime.DayStartMs(Day);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly OkxFrameParser _parser = new([InstId]);
    private readonly CollectingSink _sink = new();

    // One hour into the test day: every fed trade lies in the past, and the reorder window passes by Advance.
    private readonly FakeTimeProvider _time = new(DateTimeOffset.FromUnixTimeMilliseconds(Midnight + (60 * TradeTime.MsPerMinute)));

    public InstrumentRecorderTruthTests() => _vault = new VaultLayout(_dir.Path);

    public void Dispose() => _dir.Dispose();

    private InstrumentRecorder Create(Quarantine? quarantine = null) =>
        new(TestSpecs.OkxLinear, _vault, TestSpecs.Options("okx", InstId), _time, _sink.Logger(), quarantine);

    private InstrumentRecorder Open(Quarantine? quarantine = null)
    {
        var recorder = Create(quarantine);
        recorder.Open();
        return recorder;
    }

    private void Feed(InstrumentRecorder recorder, long id, long ts, long? recvTs = null, TradeSource src = TradeSource.Ws)
    {
        Assert.Equal(OkxFrameKind.Trades, _parser.Parse(TestSpecs.OkxTradeFrame(InstId, id, ts), recvTs ?? ts + 5, src));
        recorder.Accept(_parser.Items[0]);
    }

    private List<string> Ids(DateOnly day) => [.. RawTradeFile.ReadAll(_vault.RawDayJsonl("okx", InstId, day)).Select(t => t.TradeId)];

    private StateFile<ExporterState> State => new(_vault.ExporterState("okx", InstId));

    private const long BaseId = 13_600_000_000;

    /// <summary>Ids BaseId+1..BaseId+10, one every 3 minutes (the state then says BaseId+10).</summary>
    private void RecordTen()
    {
        using var recorder = Open();
        for (var i = 1; i <= 10; i++)
        {
            Feed(recorder, BaseId + i, Midnight + (i * 3 * TradeTime.MsPerMinute));
        }
    }

    [Fact]
    public void Open_SecondRecorderOnTheSameInstrument_IsRefusedNamingThePid_AndLeavesTheHoldersStateAlone()
    {
        using var first = Open();
        Feed(first, 1, Midnight + 1);
        first.WriteState();
        var before = File.ReadAllText(_vault.ExporterState("okx", InstId));

        var second = Create();
        var refused = Assert.Throws<WriterLockedException>(second.Open);
        Assert.Contains("pid " + Environment.ProcessId.ToString(CultureInfo.InvariantCulture), refused.Message, StringComparison.Ordinal);
        second.Dispose(); // a refused recorder writes nothing (no "stopped" state over the holder's)
        Assert.Equal(before, File.ReadAllText(_vault.ExporterState("okx", InstId)));

        Feed(first, 2, Midnight + 2);
        first.Dispose();
        Assert.Equal(["1", "2"], Ids(Day));
        using var third = Open(); // released with the first writer
    }

    [Fact]
    public void Open_StateLastTradeIdTooHigh_FileWins_NewTradesAreWritten()
    {
        RecordTen();
        State.Write(State.Read()! with { LastTradeId = "99999999999" });

        using (var recorder = Open())
        {
            Assert.Equal(BaseId + 10, recorder.ContiguousId);
            Feed(recorder, BaseId + 11, Midnight + (31 * TradeTime.MsPerMinute));
            Feed(recorder, BaseId + 12, Midnight + (32 * TradeTime.MsPerMinute));
            Assert.Equal(0, recorder.Duplicates);
        }

        Assert.Equal([.. Enumerable.Range(1, 12).Select(i => (BaseId + i).ToString(CultureInfo.InvariantCulture))], Ids(Day));
        Assert.Equal((BaseId + 12).ToString(CultureInfo.InvariantCulture), State.Read()!.LastTradeId);
        var warning = Assert.Single(_sink.Events, e => e.Level == LogEventLevel.Warning && e.Text.Contains("99999999999", StringComparison.Ordinal));
        Assert.Contains((BaseId + 10).ToString(CultureInfo.InvariantCulture), warning.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_StateLastTradeIdTooLow_FileWins_NoHugeFillIsRequested()
    {
        RecordTen();
        State.Write(State.Read()! with { LastTradeId = "1" }); // ts left as it was: only the id is wrong
        using var recorder = Open();
        (long, long?)? asked = null;
        recorder.FillRequested = (from, to) => asked = (from, to);
        _time.Advance(TimeSpan.FromMilliseconds(250)); // past the test options' 200 ms reorder window
        recorder.Tick();

        Assert.Equal(BaseId + 10, recorder.ContiguousId);
        Assert.Equal(0, recorder.PendingIds);
        Assert.Null(asked);
        Assert.Equal((BaseId + 10).ToString(CultureInfo.InvariantCulture), State.Read()!.LastTradeId); // corrected on open
        Assert.Contains(_sink.Events, e => e.Level == LogEventLevel.Warning && e.Text.Contains("contradict", StringComparison.Ordinal));
    }

    [Fact]
    public void Open_StateWithABaselineBelowEverythingOnDisk_Stands_SoTheHoleIsFilled()
    {
        // A REST baseline (or a hole open at a crash): S = 100 is not on disk, only later trades are.
        using (var recorder = Open())
        {
            recorder.Accept(TradeItem.Control(TradeItemKind.Baseline, 101, Midnight + 1000));
            Feed(recorder, 105, Midnight + 5000);
        }

        using var reopened = Open();
        (long, long?)? asked = null;
        reopened.FillRequested = (from, to) => asked = (from, to);
        _time.Advance(TimeSpan.FromMilliseconds(250));
        reopened.Tick();
        Assert.Equal(100, reopened.ContiguousId);
        Assert.Equal((100L, (long?)105L), asked);
        Assert.DoesNotContain(_sink.Events, e => e.Text.Contains("contradict", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(1_000_000_000_000_000L, "1e15 ms (year 33658)")]
    [InlineData(4_102_444_800_000L, "2100-01-01")]
    [InlineData(946_684_800_000L, "2000-01-01, far in the past")]
    public void Accept_ImplausibleEventTime_IsQuarantinedNotWritten_AndNeverMovesTheWatermark(long ts, string what)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using (var quarantine = new Quarantine(_vault, "okx", _time))
        using (var recorder = Open(quarantine))
        {
            Feed(recorder, 1, now - 1000, now);
            Feed(recorder, 2, ts, now);
            Feed(recorder, 3, now - 500, now);
            recorder.WriteState();
            Assert.True(recorder.WatermarkTs <= now, what);
            Assert.Equal(1, recorder.ImplausibleQuarantined);
        }

        var days = _vault.RawDays("okx", InstId);
        Assert.Equal([TradeTime.Day(now - 1000)], days.Distinct()); // no 2100-01-01.jsonl, no 2000-01-01.jsonl
        Assert.Equal(["1", "3"], Ids(days[0]));
        var state = State.Read()!;
        Assert.True(state.WatermarkTs <= now);
        Assert.Equal(1, state.Counters.Quarantined);
        var line = Assert.Single(File.ReadAllLines(_vault.QuarantineDay("okx", TradeTime.Day(now))));
        using var json = JsonDocument.Parse(line);
        Assert.StartsWith("implausible event time", json.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"tradeId\":\"2\"", json.RootElement.GetProperty("raw").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Accept_RestTradeFromHistory_IsWritten_ButOneFromTheFutureIsQuarantined()
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        using var quarantine = new Quarantine(_vault, "okx", _time);
        using var recorder = Open(quarantine);
        Feed(recorder, 1, now - (5 * TradeTime.MsPerDay), now, TradeSource.Rest); // REST history may be days old
        Feed(recorder, 2, now + (2 * TradeTime.MsPerDay), now, TradeSource.Rest);
        Assert.Equal(1, recorder.Trades);
        Assert.Equal(1, recorder.ImplausibleQuarantined);
    }

    [Fact]
    public void FillDone_RestFailure_KeepsTheHoleAsKnownGapInState_UntilFilled()
    {
        using (var recorder = Open())
        {
            Feed(recorder, 100, Midnight + 100);
            Feed(recorder, 105, Midnight + 105);
            recorder.Accept(TradeItem.Control(TradeItemKind.FillDone, 100, 0)); // REST failed
            recorder.WriteState();
            var gap = Assert.Single(State.Read()!.KnownGaps);
            Assert.Equal("100", gap.AfterTradeId);
            Assert.Equal("105", gap.BeforeTradeId);
            Assert.Equal(Midnight + 100, gap.FromTs);
            Assert.Equal(Midnight + 105, gap.ToTs);
        }

        using (var recorder = Open()) // survives a restart, closes once the ids are on disk
        {
            Assert.Single(recorder.KnownGaps);
            for (var id = 101; id <= 104; id++)
            {
                Feed(recorder, id, Midnight + id, src: TradeSource.Rest);
            }

            recorder.Tick();
            Assert.Empty(recorder.KnownGaps);
        }

        Assert.Empty(State.Read()!.KnownGaps);
    }

    [Fact]
    public void Connected_OutageBeforeAnyIdWasKnown_IsAKnownGapWithoutIds()
    {
        using var recorder = Open();
        recorder.Accept(TradeItem.Control(TradeItemKind.Connected));
        recorder.Accept(TradeItem.Control(TradeItemKind.Disconnected));
        recorder.Accept(TradeItem.Control(TradeItemKind.Reconnected));
        recorder.Accept(TradeItem.Control(TradeItemKind.Connected));
        recorder.WriteState();
        var gap = Assert.Single(State.Read()!.KnownGaps);
        Assert.Null(gap.AfterTradeId);
        Assert.Null(gap.BeforeTradeId);
        Assert.True(gap.ToTs >= gap.FromTs && gap.FromTs > 0);
    }
}
