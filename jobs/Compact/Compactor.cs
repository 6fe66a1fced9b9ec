using Pipeline.Vault.Compaction;
using Pipeline.Vault.Layout;

namespace Pipeline.Jobs.Compact;

/// <summary>The one way the jobs build a compactor: the vault's compactor guarded by the live readers' cursors.</summary>
public static class Compactor
{
    public static VaultCompactor Create(VaultLayout vault, CompactionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new VaultCompactor(vault, options with { Guard = options.Guard ?? new ReaderCursorGuard(vault) });
    }
}
