namespace Pipeline.Jobs.Trading;

/// <summary>Where a live run sends orders: the venue ("binance", "okx"), its REST endpoint, and whether it is a testnet/demo account.</summary>
public sealed record LiveTarget(string Venue, Uri Endpoint, bool Testnet);
