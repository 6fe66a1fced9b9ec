using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Testing.Vaults;

/// <summary>A truth directory for <c>RawVerifier</c> (what the simulator's truth writer leaves), written from chosen trades.</summary>
public static class TestTruth
{
    /// <summary>
    /// Writes each trade to its instrument's truth file ({dir}/{exchange}/{instId}.jsonl) and {dir}/truth.json
    /// with the range the truth covers; returns <paramref name="dir"/> (an instrument without trades gets no file).
    /// </summary>
    public static string Write(string dir, IEnumerable<RawTrade> trades, long startTs, long endTs)
    {
        foreach (var instrument in trades.GroupBy(t => (t.Exchange, t.InstId)))
        {
            TestVault.WriteTradeFile(TruthLayout.TradesPath(dir, instrument.Key.Exchange, instrument.Key.InstId), instrument);
        }

        Directory.CreateDirectory(dir);
        TruthLayout.WriteRange(dir, new TruthRange { StartTs = startTs, EndTs = endTs });
        return dir;
    }
}
