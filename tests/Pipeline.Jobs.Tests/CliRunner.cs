using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Tests;

/// <summary>Runs the real CLI in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static Task<(int Code, string Output, string Error)> RunAsync(params string[] args) => RunAsync(TimeProvider.System, args);

    /// <summary>Runs the CLI with <paramref name="time"/> as the commands' clock.</summary>
    public static async Task<(int Code, string Output, string Error)> RunAsync(TimeProvider time, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await PipelineCli.RunAsync(args, time, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
