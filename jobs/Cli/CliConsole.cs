using Spectre.Console;

namespace Pipeline.Jobs.Cli;

/// <summary>
/// A Spectre console over a command's output: colours and the window width on a terminal; plain
/// text (no escape codes) and a wide page when the output is redirected or captured.
/// </summary>
public static class CliConsole
{
    public static IAnsiConsole For(TextWriter output)
    {
        var terminal = ReferenceEquals(output, Console.Out) ? !Console.IsOutputRedirected
            : ReferenceEquals(output, Console.Error) && !Console.IsErrorRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(output),
        });
        if (!terminal)
        {
            console.Profile.Width = 200;
        }

        return console;
    }
}
