using Pipeline.Jobs.Strategies;

namespace Pipeline.Jobs.Execution;

/// <summary>
/// One minute's decision with the values behind it: a line of
/// derived/signals/{strategy}/{exchange}/{instId}/{yyyy-MM-dd}.jsonl. Written for every minute,
/// also when nothing happens ("adx 27.3 ≥ 20", "close inside bands").
/// </summary>
public sealed record SignalRecord(
    long MinuteMs,
    string Strategy,
    string Exchange,
    string InstId,
    SignalAction Action,
    string Reason,
    decimal Close,
    decimal? Vwap,
    decimal? Sigma,
    decimal? Upper,
    decimal? Lower,
    decimal? Adx,
    decimal MaxMove5sBps)
{
    public string ActionText => SignalActionText.Of(Action);
}
