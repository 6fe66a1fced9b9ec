using Pipeline.Calculators.Micro;
using Pipeline.Calculators.Records;
using Pipeline.Jobs.Compact;
using Pipeline.Vault.Compaction;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Tests.Compact;

/// <summary>
/// A raw trades day that has quotes or book lines is read by the microstructure stage as JSONL: compaction leaves it
/// until that stage has written every minute of the day (otherwise the stage would stop at a Parquet day).
/// </summary>
public sealed class MicroCompactionGuardTests : IDisposable
{
    private static readonly DateOnly Day = TestVault.Day1;
    private readonly TempDir _dir = new();
    private readonly TestVault _v;

    public MicroCompactionGuardTests()
    {
        _v = TestVault.Over(new VaultLayout(_dir.File("vault")));
        MicroDay.Write(_v, Day, minutes: 30);
        _v.Watermark(MinuteTime.DayEnd(Day) + 60_000, connection: "stopped");
    }

    [Fact]
    public void Compact_MicroStageNotPastTheDay_KeepsTheRawDayUntilItIs()
    {
        _v.Calc();
        File.Delete(_v.Layout.CalcState(MicroStage.StateName, TestVault.Exchange, TestVault.InstId)); // as if the stage never ran
        Compactor.Create(_v.Layout, new CompactionOptions()).Run();
        Assert.True(File.Exists(_v.Layout.RawDayJsonl(TestVault.Exchange, TestVault.InstId, Day)));
        Assert.False(File.Exists(_v.Layout.RawDayParquet(TestVault.Exchange, TestVault.InstId, Day)));

        _v.Calc(); // the stage reads the day again from the start
        Assert.Equal(1440, _v.Lines("ofi", Day).Length);
        var report = Compactor.Create(_v.Layout, new CompactionOptions()).Run();
        Assert.Equal(0, report.Failed);
        Assert.True(File.Exists(_v.Layout.RawDayParquet(TestVault.Exchange, TestVault.InstId, Day)));
    }

    public void Dispose() => _dir.Dispose();
}
