using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Live;
using Pipeline.Jobs.Execution.Report;
using Pipeline.Vault.Layout;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution.Live;

public sealed class LiveExecutorTests : IDisposable
{
    private const string Id = "vwap_mean_reversion";
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;
    private readonly TestVault _fixture;
    private readonly LiveExecutor _executor;

    public LiveExecutorTests()
    {
        _vault = new VaultLayout(_dir.Path);
        _fixture = TestVault.Over(_vault);
        _executor = new LiveExecutor(_vault, CreateConfig());
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Minutes 0–1 and trades up to 12:02:30: a long entered at 980, filled at 12:01:10, still open.</summary>
    private void WriteFirstBatch()
    {
        _fixture.AppendTrade(At(0, 30_000), 990m);
        _fixture.Minute(Minute(0), 980m);
        _fixture.AppendTrade(At(1, 10_000), 979m);
        _fixture.Minute(Minute(1), 990m);
        _fixture.AppendTrade(At(2, 30_000), 986m); // beyond the last finished minute: next pass
    }

    private void WriteSecondBatch()
    {
        _fixture.Minute(Minute(2), 990m);
        _fixture.AppendTrade(At(3, 5_000), 990m);
        _fixture.Minute(Minute(3), 990m, adx: 27.3m);
        _fixture.Minute(Minute(4), 1000m);
    }

    [Fact]
    public void RunOnce_EmptyVault_DoesNothing()
    {
        var result = _executor.RunOnce();
        Assert.Equal(0, result.Minutes);
        Assert.Null(_executor.ReadState());
    }

    [Fact]
    public void RunOnce_TwoPasses_OpenPositionSurvivesTheRestartAndClosesOnce()
    {
        WriteFirstBatch();
        var first = _executor.RunOnce();
        Assert.Equal((2, 2L, 1, 1), (first.Minutes, first.Trades, first.Entries, first.Fills));
        Assert.True(first.PositionOpen);
        var state = _executor.ReadState()!;
        Assert.Equal("p1", state.Engine.Position!.PositionId);
        Assert.Equal(Minute(2), state.Trades!.ProcessedUntilTs);

        WriteSecondBatch();
        var second = new LiveExecutor(_vault, CreateConfig()).RunOnce();
        Assert.Equal((3, 2L, 1), (second.Minutes, second.Trades, second.Fills));
        Assert.False(second.PositionOpen);

        var fills = LedgerReader.ReadFills(_vault, Id);
        Assert.Equal(["entry", "take_profit"], fills.Select(f => f.Kind));
        Assert.Equal(At(2, 30_000), fills[1].Ts);
        var report = PerformanceReport.FromFills(fills);
        Assert.Equal((1, 0.56m), (report.TradeCount, report.NetReturnPct));

        var signals = File.ReadAllLines(_vault.SignalsDay(Id, "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 3)));
        Assert.Equal(5, signals.Length);
        Assert.Contains("\"action\":\"long\"", signals[0], StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"adx 27.3 ≥ 20\"", signals[3], StringComparison.Ordinal);
    }

    [Fact]
    public void RunOnce_CrashBetweenLedgerAppendAndStateWrite_RepeatsNothing()
    {
        WriteFirstBatch();
        _executor.RunOnce();
        var statePath = _vault.ExecutorState(Id);
        var stateAfterFirst = File.ReadAllBytes(statePath);

        WriteSecondBatch();
        _executor.RunOnce();
        var expected = LedgerFiles();

        // The crash: every ledger and signal line of pass 2 is on disk, its state write is not.
        File.WriteAllBytes(statePath, stateAfterFirst);
        File.AppendAllText(_vault.LedgerFills(Id), "{\"ts\":17410"); // and a torn line for good measure
        var again = _executor.RunOnce();

        Assert.Equal(3, again.Minutes);
        Assert.Equal(expected, LedgerFiles());
        Assert.Equal(2, LedgerReader.ReadFills(_vault, Id).Count);
    }

    [Fact]
    public void RunOnce_NothingNew_ChangesNothing()
    {
        WriteFirstBatch();
        _executor.RunOnce();
        var before = LedgerFiles();
        var result = _executor.RunOnce();
        Assert.Equal(0, result.Minutes);
        Assert.True(result.PositionOpen);
        Assert.Equal(before, LedgerFiles());
    }

    [Fact]
    public void RunOnce_LaggingCalculator_HoldsTheExecutorBack()
    {
        _fixture.Minute(Minute(0), 1000m);
        _fixture.Minute(Minute(1), 1000m, adxFile: false);
        var result = _executor.RunOnce();
        Assert.Equal(1, result.Minutes);
        Assert.Equal(Minute(0), result.LastMinuteMs);
    }

    [Fact]
    public void RunOnce_RawFileOutOfOrder_ProcessesTradesInEventTime()
    {
        _fixture.Minute(Minute(0), 980m);
        _fixture.AppendTrade(At(1, 50_000), 981m);
        var crossing = _fixture.AppendTrade(At(1, 10_000), 979m); // a gap fill appended after a later trade
        _fixture.Minute(Minute(1), 990m);

        _executor.RunOnce();
        var fill = Assert.Single(LedgerReader.ReadFills(_vault, Id));
        Assert.Equal((At(1, 10_000), crossing), (fill.Ts, fill.TradeId));
    }

    [Fact]
    public void RunOnce_NonUtf8ByteAnd38DigitPriceInRaw_EachOneSkippedLineTheRestTrades()
    {
        // Issue 9 items 10/11: either line used to end the pass (Cannot transcode invalid UTF-8; decimal overflow).
        _fixture.Minute(Minute(0), 980m);
        _fixture.AppendTrade(At(1, 50_000), 981m, "7001");
        var path = _vault.RawDayJsonl("okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 3));
        var line = File.ReadAllText(path).TrimEnd('\n');
        var nonUtf8 = System.Text.Encoding.UTF8.GetBytes(line.Replace("\"7001\"", "\"7002\"", StringComparison.Ordinal).Replace("\"BTC\"", "\"B#C\"", StringComparison.Ordinal));
        nonUtf8[Array.IndexOf(nonUtf8, (byte)'#')] = 0xFF;
        var hugePrice = line.Replace("\"7001\"", "\"7003\"", StringComparison.Ordinal)
            .Replace("\"px\":\"981\"", "\"px\":\"12345678901234567890123456789012345678\"", StringComparison.Ordinal);
        using (var stream = new FileStream(path, FileMode.Append))
        {
            stream.Write([.. nonUtf8, (byte)'\n']);
            stream.Write(System.Text.Encoding.UTF8.GetBytes(hugePrice + "\n"));
        }

        var crossing = _fixture.AppendTrade(At(1, 10_000), 979m);
        _fixture.Minute(Minute(1), 990m);

        var result = _executor.RunOnce();
        Assert.Equal(2, result.SkippedLines);
        var fill = Assert.Single(LedgerReader.ReadFills(_vault, Id));
        Assert.Equal((At(1, 10_000), crossing), (fill.Ts, fill.TradeId));
    }

    [Fact]
    public void RunOnce_StartMinute_SkipsEarlierHistoryOnTheFirstRun()
    {
        for (var i = 0; i < 5; i++)
        {
            _fixture.Minute(Minute(i), 1000m);
        }

        var result = _executor.RunOnce(startMinuteMs: Minute(3));
        Assert.Equal((2, Minute(4)), (result.Minutes, result.LastMinuteMs));
    }

    [Fact]
    public void RunOnce_AcrossUtcMidnight_ContinuesInTheNextDayFiles()
    {
        var lastOfDay = (int)((new DateTimeOffset(2025, 3, 4, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds() - T0) / 60_000) - 1;
        _fixture.Minute(Minute(lastOfDay), 980m);
        _fixture.AppendTrade(At(lastOfDay + 1, 1_000), 979m);
        _fixture.Minute(Minute(lastOfDay + 1), 990m);
        _fixture.AppendTrade(At(lastOfDay + 2, 1_000), 981m);
        _fixture.Minute(Minute(lastOfDay + 2), 990m);

        var result = _executor.RunOnce();
        Assert.Equal((3, 2L, true), (result.Minutes, result.Trades, result.PositionOpen));
        Assert.Equal(new DateOnly(2025, 3, 4), _executor.ReadState()!.Trades!.Day);
        Assert.True(File.Exists(_vault.SignalsDay(Id, "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 4))));
    }

    [Fact]
    public void RunOnce_LongHistory_WorksInDayChunks_RunToEndFinishes()
    {
        for (var day = 0; day < 5; day++)
        {
            for (var i = 0; i < 3; i++)
            {
                _fixture.Minute(Minute((day * 1440) + i), 1000m);
            }
        }

        var first = _executor.RunOnce(maxDays: 2);
        Assert.Equal((6, true), (first.Minutes, first.MoreAvailable));

        var rest = _executor.RunToEnd();
        Assert.Equal((9, false, Minute((4 * 1440) + 2)), (rest.Minutes, rest.MoreAvailable, rest.LastMinuteMs));
        Assert.Equal(9, rest.Actions["none"]);
        Assert.Equal(0, _executor.RunToEnd().Minutes);
    }

    [Fact]
    public void RunOnce_StateOfAnotherInstrument_IsRefused()
    {
        WriteFirstBatch();
        _executor.RunOnce();
        var other = CreateConfig() with { InstId = "ETH-USDT-SWAP" };
        var ex = Assert.Throws<InvalidOperationException>(() => new LiveExecutor(_vault, other).RunOnce());
        Assert.Contains("belongs to vwap_mean_reversion on okx/BTC-USDT-SWAP", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MinuteRecordReader_LineMissingAField_IsReportedNotGuessed()
    {
        _fixture.Minute(Minute(0), 1000m);
        File.AppendAllText(_vault.DerivedDay("bands", "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 3)),
            "{\"minute\":\"2025-03-03T12:01:00Z\",\"sigma\":\"1\"}\n");
        var reader = new MinuteRecordReader(_vault, "okx", "BTC-USDT-SWAP", Pipeline.Jobs.Strategies.VwapMeanReversion.BandWindow.OneHour);
        var minutes = reader.ReadAfter(null);
        Assert.Single(minutes);
        Assert.Contains("missing 'sigma1h'", Assert.Single(reader.Issues).Reason, StringComparison.Ordinal);
    }

    private string[] LedgerFiles() =>
    [
        File.ReadAllText(_vault.LedgerOrders(Id)),
        File.ReadAllText(_vault.LedgerFills(Id)),
        File.ReadAllText(_vault.LedgerPositions(Id)),
        File.ReadAllText(_vault.SignalsDay(Id, "okx", "BTC-USDT-SWAP", new DateOnly(2025, 3, 3))),
    ];
}
