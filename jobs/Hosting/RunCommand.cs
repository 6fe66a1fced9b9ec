using System.CommandLine;
using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Hosting;

/// <summary><c>pipeline run</c>: exporters plus the Quartz schedule in one long-running host.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var command = new LongRunningCommand("run",
            "Run everything in one long-running host: exporters (one per enabled exchange) and the schedule (calculators, signal/executor after each successful calculator pass, instrument metadata, compaction), and one live executor per strategy with mode: live (needs --confirm-live or PIPELINE_CONFIRM_LIVE=1). SIGINT/SIGTERM drains and exits 0. See the README (Running Pipeline for real)");
        HostCommandOptions.Add(command);
        command.Options.Add(HostCommandOptions.ConfirmLive);
        CommandAction.Set(command, (context, token) => HostCommandOptions.RunHostAsync(context, HostMode.Run, token), fileLog: false);
        return command;
    }
}
