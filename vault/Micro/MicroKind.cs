namespace Pipeline.Vault.Micro;

/// <summary>
/// The market-microstructure record kinds recorded next to trades, each in its own daily JSONL
/// (<c>raw/{exchange}/{kind}_perps/{instId}/{yyyy-MM-dd}.jsonl</c>, <see cref="Layout.VaultLayout.MicroDayJsonl"/>).
/// </summary>
public enum MicroKind
{
    /// <summary>Best bid/ask with sizes (Binance bookTicker, OKX bbo-tbt).</summary>
    Quotes,

    /// <summary>L2 order book: snapshot, then changes; a resync line before every new snapshot after the first.</summary>
    Book,

    /// <summary>Forced liquidation orders (Binance forceOrder, OKX liquidation-orders).</summary>
    Liquidations,

    /// <summary>Mark and index price, funding rate and next funding time, open interest.</summary>
    Derivatives,
}

/// <summary>Names of the kinds in paths and on the command line.</summary>
public static class MicroKinds
{
    public static IReadOnlyList<MicroKind> All { get; } = [MicroKind.Quotes, MicroKind.Book, MicroKind.Liquidations, MicroKind.Derivatives];

    /// <summary>"quotes", "book", "liquidations", "derivatives": the data name (<c>--data</c>) and the path's "{kind}_perps".</summary>
    public static string Name(MicroKind kind) => kind switch
    {
        MicroKind.Quotes => "quotes",
        MicroKind.Book => "book",
        MicroKind.Liquidations => "liquidations",
        MicroKind.Derivatives => "derivatives",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a micro kind"),
    };

    public static MicroKind? Parse(string name) => All.Cast<MicroKind?>().FirstOrDefault(k => Name(k!.Value) == name);
}
