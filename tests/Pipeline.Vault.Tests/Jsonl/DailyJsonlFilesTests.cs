using Pipeline.Vault.Jsonl;
using Pipeline.Vault.Trades;

namespace Pipeline.Vault.Tests.Jsonl;

public sealed class DailyJsonlFilesTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string PathFor(DateOnly day) => _dir.File(VaultDayName(day));

    private static string VaultDayName(DateOnly day) => Pipeline.Vault.Layout.VaultLayout.DayFileName(day, ".jsonl");

    [Fact]
    public void For_TradeJustBeforeMidnight_GoesToYesterdaysFile()
    {
        var today = new DateOnly(2025, 6, 2);
        var midnight = TradeTime.DayStartMs(today);
        using (var files = new DailyJsonlFiles(PathFor, TimeProvider.System, Serilog.Log.Logger))
        {
            files.For(midnight + 5).AppendLine("{\"t\":\"after\"}"u8);
            files.For(midnight - 1).AppendLine("{\"t\":\"before\"}"u8);
            files.For(midnight).AppendLine("{\"t\":\"at\"}"u8);
        }

        Assert.Equal(["{\"t\":\"before\"}"], File.ReadAllLines(PathFor(today.AddDays(-1))));
        Assert.Equal(["{\"t\":\"after\"}", "{\"t\":\"at\"}"], File.ReadAllLines(PathFor(today)));
    }

    [Fact]
    public void For_MoreDaysThanMaxOpen_ClosesTheOldestAfterSyncingIt()
    {
        var first = new DateOnly(2025, 6, 1);
        using var files = new DailyJsonlFiles(PathFor, TimeProvider.System, Serilog.Log.Logger);
        for (var i = 0; i <= DailyJsonlFiles.MaxOpen; i++)
        {
            files.For(TradeTime.DayStartMs(first.AddDays(i))).AppendLine("{}"u8);
        }

        Assert.Equal(DailyJsonlFiles.MaxOpen, files.OpenDays.Count);
        Assert.DoesNotContain(first, files.OpenDays);
        Assert.Equal(3, new FileInfo(PathFor(first)).Length); // closed files are synced
    }
}
