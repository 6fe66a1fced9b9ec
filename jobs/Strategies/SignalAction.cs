namespace Pipeline.Jobs.Strategies;

/// <summary>What a minute's decision did: written as "none", "long", "short", "exit_vwap", "exit_time".</summary>
public enum SignalAction
{
    None,
    EnterLong,
    EnterShort,
    ExitVwap,

    /// <summary>The holding horizon (<see cref="ExecutionSettings.ExitAfter"/>) elapsed: closed at the minute close.</summary>
    ExitTime,
}

public static class SignalActionText
{
    public static string Of(SignalAction action) => action switch
    {
        SignalAction.EnterLong => "long",
        SignalAction.EnterShort => "short",
        SignalAction.ExitVwap => "exit_vwap",
        SignalAction.ExitTime => "exit_time",
        _ => "none",
    };
}
