namespace Pipeline.Simulator.Trading;

/// <summary>
/// One simulated trading account (<see cref="SimulatorOptions.Accounts"/>): its credentials, starting balance, fee rates and
/// order rate limits. The secret stays inside the simulator (signature checks); only <c>pipeline sim --accounts N</c> prints it.
/// </summary>
public sealed record SimAccountSpec
{
    /// <summary>A label for logs and the truth file (never the key or the secret).</summary>
    public required string Name { get; init; }

    /// <summary>The API key (Binance <c>X-MBX-APIKEY</c>).</summary>
    public required string ApiKey { get; init; }

    /// <summary>The HMAC secret.</summary>
    public required string Secret { get; init; }

    /// <summary>OKX passphrase (for the OKX private API; unused by Binance).</summary>
    public string Passphrase { get; init; } = "";

    /// <summary>Starting wallet balance in the quote/settlement currency (USDT).</summary>
    public decimal Balance { get; init; } = 10_000m;

    /// <summary>Maker fee rate (0.0002 = 0.02 %).</summary>
    public decimal MakerFee { get; init; } = 0.0002m;

    /// <summary>Taker fee rate (0.0005 = 0.05 %).</summary>
    public decimal TakerFee { get; init; } = 0.0005m;

    /// <summary>New-order limits; each is "at most Count orders per Window" (Binance USD-M defaults: 300 per 10 s, 1200 per minute).</summary>
    public IReadOnlyList<SimRateLimit> OrderLimits { get; init; } = SimRateLimit.BinanceDefaults;

    public override string ToString() => $"SimAccountSpec {{ Name = {Name} }}"; // never the key material

    /// <summary>An account with a fresh random key and secret (64 hex characters each, as Binance's).</summary>
    public static SimAccountSpec Generate(string name) => new()
    {
        Name = name,
        ApiKey = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        Secret = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
        Passphrase = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8)),
    };
}
