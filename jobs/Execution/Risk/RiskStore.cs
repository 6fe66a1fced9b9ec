using Pipeline.Vault.Layout;
using Pipeline.Vault.State;

namespace Pipeline.Jobs.Execution.Risk;

/// <summary>The risk files of a strategy under the vault's state/risk/: the gate's state and the kill switch (atomic StateFiles).</summary>
public static class RiskStore
{
    public static string Directory(VaultLayout vault)
    {
        ArgumentNullException.ThrowIfNull(vault);
        return Path.Combine(vault.StateDir, "risk");
    }

    public static StateFile<RiskState> StateFile(VaultLayout vault, string strategy) =>
        new(Path.Combine(Directory(vault), VaultNames.Name(strategy) + ".json"));

    public static StateFile<KillSwitch> KillFile(VaultLayout vault, string strategy) =>
        new(Path.Combine(Directory(vault), VaultNames.Name(strategy) + ".kill.json"));

    /// <summary>A gate for <paramref name="strategy"/> with its persisted state and kill switch.</summary>
    public static RiskGate Load(VaultLayout vault, string strategy, RiskLimits limits, string? instId = null) =>
        new(strategy, limits, StateFile(vault, strategy).Read(), KillFile(vault, strategy).Read(), instId);

    public static void Save(VaultLayout vault, RiskGate gate)
    {
        ArgumentNullException.ThrowIfNull(gate);
        StateFile(vault, gate.Strategy).Write(gate.Snapshot());
    }
}
