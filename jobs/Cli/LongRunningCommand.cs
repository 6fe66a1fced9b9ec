using System.CommandLine;

namespace Pipeline.Jobs.Cli;

/// <summary>
/// A command that hosts long-running work (the Generic Host): it handles SIGINT/SIGTERM itself and
/// drains, so <see cref="PipelineCli"/> leaves termination signals to it instead of giving up after
/// System.CommandLine's two-second grace.
/// </summary>
#pragma warning disable CA1010 // Command is non-generic IEnumerable (for collection initialisers); this marker adds no elements
public sealed class LongRunningCommand(string name, string? description = null) : Command(name, description);
#pragma warning restore CA1010
