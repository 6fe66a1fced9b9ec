using System.CommandLine;
using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Hosting;

/// <summary><c>pipeline schedule</c>: the Quartz schedule without exporters (when the exporter runs as its own service).</summary>
public static class ScheduleCommand
{
    public static Command Create()
    {
        var command = new LongRunningCommand("schedule",
            "Run the schedule only (calculators, signal/executor, instrument metadata, compaction), for when the exporter runs as its own service. SIGINT/SIGTERM drains and exits 0");
        HostCommandOptions.Add(command);
        CommandAction.Set(command, (context, token) => HostCommandOptions.RunHostAsync(context, HostMode.Schedule, token), fileLog: false);
        return command;
    }
}
