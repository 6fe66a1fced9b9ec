using Xunit;

// The CLI runs in-process (CliRunner) and configures the global Serilog logger with the vault of the
// command at hand; test classes running in parallel then wrote each other's log events into that
// vault (a usage-error test saw a logs/ folder appear that its own command never made). The jobs'
// tests run one at a time, so each command's logger and vault are its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
