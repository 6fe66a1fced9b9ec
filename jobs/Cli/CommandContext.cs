using System.CommandLine;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Cli;

/// <summary>What a command's action gets: the parse result, the vault, and where to print.</summary>
public sealed class CommandContext(ParseResult parse, TextWriter output, TextWriter error)
{
    private VaultLayout? _vault;

    public ParseResult Parse { get; } = parse;

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>What the command does with the vault: decides the default vault (<see cref="VaultResolver"/>).</summary>
    public VaultUse VaultUse { get; init; } = VaultUse.Default;

    /// <summary>
    /// The command's vault, resolved on first use. A command that reads or records data and was not given
    /// --vault says on stderr, once, which vault it used and why.
    /// </summary>
    public VaultLayout Vault => _vault ??= Resolve();

    private VaultLayout Resolve()
    {
        var choice = VaultResolver.Resolve(Parse.GetValue(CommonOptions.Vault), VaultUse);
        if (!choice.Explicit && VaultUse != VaultUse.Default)
        {
            Error.WriteLine(choice.Describe(Directory.GetCurrentDirectory()));
        }

        return choice.Layout;
    }

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);
}
