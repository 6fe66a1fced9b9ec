using Pipeline.Exporter.Rest;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Trading;

/// <summary>
/// Decides whether a run may trade live. Paper is the default. Live needs all of: the configuration's mode
/// <c>live</c>, an explicit confirmation (<c>--confirm-live</c> or <c>PIPELINE_CONFIRM_LIVE=1</c>), and the venue's
/// credentials (<see cref="CredentialLoader"/>). Anything missing is a <see cref="UsageException"/> (exit 2) in one line
/// naming what is missing, never a value. A live decision carries the loud start banner: account (masked key) and endpoint.
/// </summary>
public static class LiveModeGate
{
    public const string ConfirmVariable = "PIPELINE_CONFIRM_LIVE";
    public const string ConfirmFlag = "--confirm-live";

    /// <param name="configMode">The mode the configuration asks for.</param>
    /// <param name="confirmFlag">Whether <c>--confirm-live</c> was given.</param>
    /// <param name="environment">The environment (confirmation and credential variables).</param>
    /// <param name="target">The venue and endpoint a live run would trade.</param>
    /// <param name="strategyId">The strategy, for the banner.</param>
    /// <param name="credentialsFile">An owner-only credentials file from the configuration, if any.</param>
    public static LiveModeDecision Decide(TradingMode configMode, bool confirmFlag, Func<string, string?> environment,
        LiveTarget target, string strategyId, string? credentialsFile = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(strategyId);
        var confirmed = confirmFlag || ConfirmedByEnvironment(environment(ConfirmVariable));
        if (configMode == TradingMode.Paper)
        {
            // The flag is typed for this run: contradicting the configuration is a mistake to report, not to ignore.
            if (confirmFlag)
            {
                throw new UsageException($"{ConfirmFlag} given, but strategy {strategyId} is configured for paper trading; set its mode to live to trade live");
            }

            return new LiveModeDecision(TradingMode.Paper, null, null,
                confirmed ? $"{ConfirmVariable} is set, but strategy {strategyId} is configured for paper trading: trading on paper" : null);
        }

        if (!confirmed)
        {
            throw new UsageException(
                $"strategy {strategyId} is configured for live trading on {target.Venue}: confirm with {ConfirmFlag} or {ConfirmVariable}=1");
        }

        ApiCredentials credentials;
        try
        {
            credentials = CredentialLoader.Load(target.Venue, environment, credentialsFile);
        }
        catch (CredentialsException ex)
        {
            throw new UsageException($"live trading refused: {ex.Message}", ex);
        }

        return new LiveModeDecision(TradingMode.Live, credentials, Banner(strategyId, target, credentials), null);
    }

    /// <summary>Only "1" confirms; another value is a usage error (a typo must not silently mean "no").</summary>
    private static bool ConfirmedByEnvironment(string? value) => value?.Trim() switch
    {
        null or "" or "0" => false,
        "1" => true,
        _ => throw new UsageException($"{ConfirmVariable} must be 1 to confirm live trading (or unset), not '{value}'"),
    };

    private static string Banner(string strategyId, LiveTarget target, ApiCredentials credentials)
    {
        return string.Join(Environment.NewLine,
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
            $"!!! LIVE TRADING ({target.Account}): strategy {strategyId} on {target.Venue}",
            $"!!! account  : API key {credentials.KeyId} ({credentials.Source})",
            $"!!! endpoint : {EndpointRedaction.Redact(target.Endpoint)}",
            "!!! orders from this run are sent to the exchange",
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
    }
}
