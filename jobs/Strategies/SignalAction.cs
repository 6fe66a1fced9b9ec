namespace Pipeline.Jobs.Strategies;

/// <summary>What a minute's decision did: written as "none", "long", "short", "exit_vwap".</summary>
public enum SignalAction
{
    None,
    EnterLong,
    EnterShort,
    ExitVwap,
}

public static class SignalActionText
{
    public static string Of(SignalAction action) => action switch
    {
        SignalAction.EnterLong => "long",
        SignalAction.EnterShort => "short",
        SignalAction.ExitVwap => "exit_vwap",
        _ => "none",
    };
}
