using Pipeline.Jobs.Config;
using Pipeline.Jobs.Hosting;
using Pipeline.Testing.Logging;
using Serilog;
using Serilog.Events;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>
/// The host names a calculators cron that makes every minute a pass late (fires just before minutes become final)
/// when it starts, with the second to fire at; the default schedule gets no such warning.
/// </summary>
public sealed class HostScheduleWarningTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private IReadOnlyList<(LogEventLevel Level, string Text)> BuildLogs(string schedule)
    {
        var file = _dir.File("pipeline.yaml");
        File.WriteAllText(file, $"""
            vault: {_dir.File("vault")}
            exchanges:
              okx: {"{"} enabled: false {"}"}
              binance: {"{"} enabled: false {"}"}
            {schedule}
            """);
        var config = PipelineConfigLoader.Load(file, new Dictionary<string, string>(), [], _dir.Path);
        var sink = new CollectingSink();
        var previous = Log.Logger;
        Log.Logger = sink.Logger(); // Jobs.Tests run one at a time (TestParallelization)
        try
        {
            using var host = PipelineHost.Build(config, HostMode.Schedule, (_, _) => { });
        }
        finally
        {
            Log.Logger = previous;
        }

        return sink.Events;
    }

    [Fact]
    public void Build_CronAtSecondZeroWithDefaultLateness_WarnsMinutesComeAPassLate()
    {
        var logs = BuildLogs("schedule:\n  calculators: \"0 * * * * ?\"\n");
        Assert.Contains(logs, e => e.Level == LogEventLevel.Warning
            && e.Text.Contains("'0 * * * * ?'", StringComparison.Ordinal) && e.Text.Contains("'4 * * * * ?'", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_DefaultSchedule_NoScheduleWarning()
    {
        var logs = BuildLogs("calculators:\n  latenessSeconds: 5\n");
        Assert.DoesNotContain(logs, e => e.Text.Contains("Calculators schedule", StringComparison.Ordinal));
        Assert.Contains(logs, e => e.Text.Contains("7 * * * * ?", StringComparison.Ordinal)); // the start line names the derived cron
    }
}
