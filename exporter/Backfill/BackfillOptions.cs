using Pipeline.Exporter.Venues;
using Pipeline.Vault.Layout;

namespace Pipeline.Exporter.Backfill;

/// <summary>What <see cref="BackfillService"/> fills: one exchange, its instruments, a range of closed UTC days.</summary>
public sealed record BackfillOptions
{
    /// <summary>okx or binance.</summary>
    public required string Exchange { get; init; }

    public required IReadOnlyList<string> InstIds { get; init; }

    /// <summary>First UTC day (inclusive).</summary>
    public required DateOnly From { get; init; }

    /// <summary>Last UTC day (inclusive); must be before today (today's file belongs to the live exporter).</summary>
    public required DateOnly To { get; init; }

    public BackfillSource Source { get; init; } = BackfillSource.Auto;

    /// <summary>
    /// Archive base. OKX: files at {base}/cdn/okex/traderecords/trades/daily/{yyyyMMdd}/{instId}-trades-{yyyy-MM-dd}.zip;
    /// null = discover them through /api/v5/public/market-data-history (its url values). Binance:
    /// {base}/data/futures/um/daily/aggTrades/{SYMBOL}/{SYMBOL}-aggTrades-{yyyy-MM-dd}.zip; null = data.binance.vision.
    /// </summary>
    public Uri? ArchiveUrl { get; init; }

    /// <summary>REST base (instruments, history, market-data-history); null = the exchange's production host.</summary>
    public Uri? RestUrl { get; init; }

    /// <summary>Redo days the state lists as done.</summary>
    public bool Force { get; init; }

    /// <summary>Minimum spacing of REST history requests (null: the venue's default, OKX 110 ms = 20 per 2 s, Binance 500 ms).</summary>
    public TimeSpan? RestInterval { get; init; }

    /// <summary>Retries of a failed request (network error, 5xx, 429) before the day fails.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>Upper bound of one retry delay.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The REST base: <see cref="RestUrl"/> or the venue's production host.</summary>
    public Uri EffectiveRestUrl => RestUrl ?? VenueRegistry.For(Exchange).Defaults.RestBase;

    /// <summary>The UTC days in order.</summary>
    public IEnumerable<DateOnly> Days()
    {
        for (var day = From; day <= To; day = day.AddDays(1))
        {
            yield return day;
        }
    }

    /// <summary>Checks the combination against today's UTC date; throws ArgumentException naming the problem.</summary>
    public void Validate(DateOnly today)
    {
        _ = VenueRegistry.For(Exchange); // an unknown exchange throws naming the supported ones

        if (InstIds.Count == 0)
        {
            throw new ArgumentException("no instruments given (--inst BTC-USDT-SWAP,...)");
        }

        foreach (var id in InstIds)
        {
            if (!VaultNames.IsInstId(id))
            {
                throw new ArgumentException($"instrument id '{id}' is not valid (expected e.g. BTC-USDT-SWAP or BTCUSDT)");
            }
        }

        if (To < From)
        {
            throw new ArgumentException($"--to {To:yyyy-MM-dd} is before --from {From:yyyy-MM-dd}");
        }

        if (To >= today)
        {
            throw new ArgumentException(
                $"day {(From > today ? From : today):yyyy-MM-dd} is today's live file (or later); backfill up to yesterday ({today.AddDays(-1):yyyy-MM-dd}), the exporter gap-fills today");
        }
    }
}
