using System.CommandLine;
using System.Runtime.InteropServices;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.DuckDb;

namespace Pipeline.Jobs.Doctor;

/// <summary><c>pipeline doctor</c>: checks that the runtime and DuckDB load, and shows where things are.</summary>
public static class DoctorCommand
{
    private static readonly Option<bool> Quiet = new("--quiet") { Description = "Print only the DuckDB version" };

    public static Command Create()
    {
        var command = new Command("doctor", "Check the set-up: .NET runtime, DuckDB engine (DuckDB.NET), vault path");
        command.Options.Add(Quiet);
        CommandAction.Set(command, RunAsync, fileLog: false, vault: VaultUse.Examine);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var version = DuckDbInfo.Version();
        if (context.Get(Quiet))
        {
            await context.Output.WriteLineAsync($"duckdb {version}");
            return ExitCodes.Ok;
        }

        await context.Output.WriteLineAsync($"runtime  .NET {Environment.Version} {RuntimeInformation.RuntimeIdentifier}");
        await context.Output.WriteLineAsync($"duckdb   {version} (DuckDB.NET {DuckDbInfo.ProviderVersion()})");
        await context.Output.WriteLineAsync($"vault    {context.Vault.Root}");
        return ExitCodes.Ok;
    }
}
