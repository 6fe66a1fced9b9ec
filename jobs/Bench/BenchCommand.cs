using System.CommandLine;

namespace Pipeline.Jobs.Bench;

/// <summary><c>pipeline bench ...</c>: measurements stated as ratios against a peer run in the same process.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure performance (each bench compares against a peer in the same process)");
        foreach (var bench in Benches())
        {
            command.Subcommands.Add(bench);
        }

        return command;
    }

    /// <summary>Every bench; each lives in its own file.</summary>
    private static IEnumerable<Command> Benches()
    {
        yield return CalcBench.Create();
        yield return QueryBench.Create();
        yield return ExportBench.Create();
        yield return MicroIngestBench.Create();
        yield return BacktestBench.Create();
    }
}
