namespace Pipeline.Jobs.Cli;

/// <summary>What a command does with the vault, which decides where it may look for one by default.</summary>
public enum VaultUse
{
    /// <summary>Uses --vault, $PIPELINE_VAULT, the config's vault or ./vault-data; never falls back to the demo's vault.</summary>
    Default,

    /// <summary>
    /// Reads the vault or derives from its own data (status, query, verify, compact, calc, signal, backtest):
    /// falls back to the demo's ./vault-demo while ./vault-data holds no data, and says on stderr which vault it used.
    /// </summary>
    Examine,

    /// <summary>Records real market data (export, backfill): never the demo's vault, not even when named.</summary>
    Record,
}
