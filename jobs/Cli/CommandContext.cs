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

    public VaultLayout Vault => _vault ??= CommonOptions.VaultLayout(Parse);

    public T? Get<T>(Option<T> option) => Parse.GetValue(option);

    public T? Get<T>(Argument<T> argument) => Parse.GetValue(argument);
}
