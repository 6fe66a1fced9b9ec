using System.Security.Cryptography;
using Pipeline.Simulator.Trading;

namespace Pipeline.Simulator.Binance;

/// <summary>
/// Binance USD-M listen keys: one active key per account, valid 60 minutes (wall time, <see cref="SimulatorOptions.Time"/>)
/// after its creation or last keep-alive; POST returns the active key and extends it; DELETE invalidates it.
/// </summary>
public sealed class BinanceListenKeys(TimeProvider time)
{
    public static readonly TimeSpan Validity = TimeSpan.FromMinutes(60);
    private readonly Dictionary<PrivateAccount, (string Key, long Since)> _byAccount = [];
    private readonly Lock _gate = new();

    public string Open(PrivateAccount account)
    {
        lock (_gate)
        {
            var key = Live(account) ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)).Replace('+', 'A').Replace('/', 'B');
            _byAccount[account] = (key, time.GetTimestamp());
            return key;
        }
    }

    public string? KeepAlive(PrivateAccount account)
    {
        lock (_gate)
        {
            if (Live(account) is not { } key)
            {
                return null;
            }

            _byAccount[account] = (key, time.GetTimestamp());
            return key;
        }
    }

    public void Close(PrivateAccount account)
    {
        lock (_gate)
        {
            _byAccount.Remove(account);
        }
    }

    /// <summary>The account whose live key this is (null: unknown or expired).</summary>
    public PrivateAccount? Find(string listenKey)
    {
        lock (_gate)
        {
            return _byAccount.FirstOrDefault(e => e.Value.Key == listenKey && Live(e.Key) is not null).Key;
        }
    }

    private string? Live(PrivateAccount account) =>
        _byAccount.TryGetValue(account, out var e) && time.GetElapsedTime(e.Since) < Validity ? e.Key : null;
}
