using System.CommandLine;

namespace Pipeline.Jobs.Bench;

/// <summary><c>pipeline bench</c>: performance measurements, each against a peer run in the same process.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var command = new Command("bench", "Measure performance against peers on the same data (DuckDB, a plain file scan)");
        command.Subcommands.Add(Calc.CalcBench.Create());
        return command;
    }
}
