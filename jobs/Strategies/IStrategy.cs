using System.Text.Json;

namespace Pipeline.Jobs.Strategies;

/// <summary>
/// An entry rule evaluated once per closed minute. The paper engine calls <see cref="Evaluate"/>
/// for every minute in event-time order (also while a position is open, so rolling memory such as
/// a halt window stays current) and applies the execution gates itself. Whatever the strategy
/// remembers between minutes goes through <see cref="SaveState"/>/<see cref="RestoreState"/> so a
/// restart continues exactly.
/// </summary>
public interface IStrategy
{
    /// <summary>Registry name, e.g. "vwap_mean_reversion".</summary>
    string Name { get; }

    StrategySignal Evaluate(MinuteInputs minute);

    /// <summary>Strategy memory as JSON, or null when it has none.</summary>
    JsonElement? SaveState();

    void RestoreState(JsonElement? state);
}
