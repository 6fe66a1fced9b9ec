using Pipeline.Jobs.Config;

namespace Pipeline.Jobs.Tests.Config;

/// <summary>
/// The calculators' default cron fires just after each minute becomes final (M+1m+lateness), derived from the
/// lateness; a cron that fires just before (the old "0 * * * * ?" with 2 s lateness) is named with a fix.
/// </summary>
public sealed class CalculatorScheduleTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private PipelineConfig Load(string yaml)
    {
        var file = _dir.File("pipeline.yaml");
        File.WriteAllText(file, yaml);
        return PipelineConfigLoader.Load(file, new Dictionary<string, string>(), [], _dir.Path);
    }

    [Theory]
    [InlineData("2", "4 * * * * ?")]      // the default: minute M at M+1m+4s
    [InlineData("0", "2 * * * * ?")]
    [InlineData("0.5", "3 * * * * ?")]    // ceil(0.5 + 2)
    [InlineData("10", "12 * * * * ?")]
    [InlineData("58.5", "1 * * * * ?")]   // M final at M+1m+58.5s: fire at second 1 of the next minute (60.5 s)
    [InlineData("90", "32 * * * * ?")]    // M final at M+2m+30s: fire at second 32
    public void Load_CronUnset_FiresAtLatenessPlusMarginEveryMinute(string lateness, string cron)
    {
        var config = Load($"calculators:\n  latenessSeconds: {lateness}\n");
        Assert.Equal(cron, config.Schedule.Calculators);
        Assert.Null(CalculatorSchedule.LateMinutesWarning(config.Schedule.Calculators, config.Calculators.Lateness));
    }

    [Fact]
    public void Load_CronSet_KeptAsGiven()
    {
        var config = Load("schedule:\n  calculators: \"0 */2 * * * ?\"\ncalculators:\n  latenessSeconds: 7\n");
        Assert.Equal("0 */2 * * * ?", config.Schedule.Calculators);
    }

    [Fact]
    public void LateMinutesWarning_SecondZeroWithTwoSecondsLateness_SaysMinutesComeAPassLateAndNamesTheFix()
    {
        var warning = CalculatorSchedule.LateMinutesWarning("0 * * * * ?", TimeSpan.FromSeconds(2));
        Assert.NotNull(warning);
        Assert.Contains("'0 * * * * ?'", warning, StringComparison.Ordinal);
        Assert.Contains("a pass late", warning, StringComparison.Ordinal);
        Assert.Contains("'4 * * * * ?'", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void LateMinutesWarning_LatenessRaisedButCronLeftAtSecondFour_Warns()
    {
        var warning = CalculatorSchedule.LateMinutesWarning("4 * * * * ?", TimeSpan.FromSeconds(10));
        Assert.NotNull(warning);
        Assert.Contains("'12 * * * * ?'", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("4 * * * * ?", 2)]
    [InlineData("10 * * * * ?", 2)]        // 8 s after final: still prompt
    [InlineData("4 */5 * * * ?", 2)]      // every 5 minutes: the minute before each pass is prompt, the others wait for the cadence
    [InlineData("0/2 * * * * ?", 2)]      // seconds-level test schedules fire right after every minute
    [InlineData("0 * * * * ?", 58)]       // second 0 is 2 s after M+1m+58s
    public void LateMinutesWarning_PassSoonAfterAMinuteIsFinal_None(string cron, int latenessSeconds) =>
        Assert.Null(CalculatorSchedule.LateMinutesWarning(cron, TimeSpan.FromSeconds(latenessSeconds)));

    [Theory]
    [InlineData("0 */5 * * * ?", 2)]      // every 5 minutes at second 0: the fifth minute waits 5 more
    [InlineData("30 * * * * ?", 2)]       // 28 s after final
    [InlineData("3 * * * * ?", 2)]        // 1 s after final: the saved watermark may not show it yet
    public void LateMinutesWarning_PassJustBeforeOrLongAfterFinal_Warns(string cron, int latenessSeconds) =>
        Assert.NotNull(CalculatorSchedule.LateMinutesWarning(cron, TimeSpan.FromSeconds(latenessSeconds)));
}
