using Pipeline.Vault.Layout;
using Pipeline.Vault.Status;

namespace Pipeline.Jobs.Status;

/// <summary>The text sections under the status table: each instrument's calculator warm-up, and the paper strategies.</summary>
public static class StatusSections
{
    public static async Task WriteAsync(TextWriter output, VaultLayout vault, IReadOnlyList<InstrumentStatus> statuses)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(statuses);
        var warmUps = statuses
            .Select(s => (s.Exchange, s.InstId, Progress: WarmUpStatus.Read(vault, s.Exchange, s.InstId)))
            .Where(w => w.Progress is not null)
            .ToList();
        if (warmUps.Count > 0)
        {
            await output.WriteLineAsync("Warm-up (outputs are null until warm; a strategy decides nothing before its window is):");
            foreach (var (exchange, instId, progress) in warmUps)
            {
                await output.WriteLineAsync($"  {exchange} {instId}: {WarmUpStatus.Text(progress!)}");
            }
        }

        var all = StrategyStatus.ReadAll(vault);
        var strategies = all.Where(s => s.Mode != "live").ToList();
        if (strategies.Count > 0)
        {
            await output.WriteLineAsync("Paper strategies (position; PnL net of fees as the executor books it, an open position marked at the last bars_1m close):");
            foreach (var strategy in strategies)
            {
                await output.WriteLineAsync("  " + strategy.Text());
            }
        }

        var live = all.Where(s => s.Mode == "live").ToList();
        if (live.Count > 0)
        {
            await output.WriteLineAsync("Live strategies (position and PnL from the fills the venue reported, in the ledger; an open position marked at the last bars_1m close):");
            foreach (var strategy in live)
            {
                await output.WriteLineAsync("  " + strategy.Text());
            }
        }
    }
}
