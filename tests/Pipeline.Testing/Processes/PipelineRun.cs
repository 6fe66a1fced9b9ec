namespace Pipeline.Testing.Processes;

/// <summary>What a finished pipeline process left: its exit code and everything it printed.</summary>
public sealed record PipelineRun(int ExitCode, string Stdout, string Stderr);
