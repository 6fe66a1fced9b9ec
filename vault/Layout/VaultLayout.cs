using System.Globalization;

namespace Pipeline.Vault.Layout;

/// <summary>
/// Every path of the vault (../shared/DESIGN.md, "The vault"), built from validated parts so that
/// no exchange, instrument or name coming from the network or a user can escape the root.
/// </summary>
public sealed class VaultLayout
{
    public const string EnvironmentVariable = "PIPELINE_VAULT";
    public const string DefaultDirectory = "vault-data";

    public VaultLayout(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string MetaDir => Path.Combine(Root, "meta");
    public string RawDir => Path.Combine(Root, "raw");
    public string DerivedDir => Path.Combine(Root, "derived");
    public string LedgerDir => Path.Combine(Root, "ledger");
    public string StateDir => Path.Combine(Root, "state");
    public string LogsDir => Path.Combine(Root, "logs");

    public string InstrumentsSnapshot(string exchange) =>
        Path.Combine(MetaDir, VaultNames.Exchange(exchange), "instruments", "SWAP.json");

    public string RawExchangeDir(string exchange) =>
        Path.Combine(RawDir, VaultNames.Exchange(exchange), "trades_perps");

    public string RawInstrumentDir(string exchange, string instId) =>
        Path.Combine(RawExchangeDir(exchange), VaultNames.InstId(instId));

    public string RawDayJsonl(string exchange, string instId, DateOnly day) =>
        Path.Combine(RawInstrumentDir(exchange, instId), DayFileName(day, ".jsonl"));

    public string RawDayParquet(string exchange, string instId, DateOnly day) =>
        Path.Combine(RawInstrumentDir(exchange, instId), DayFileName(day, ".parquet"));

    /// <summary>raw/{exchange}/{kind}_perps: the microstructure kinds next to trades_perps.</summary>
    public string MicroExchangeDir(Micro.MicroKind kind, string exchange) =>
        Path.Combine(RawDir, VaultNames.Exchange(exchange), Micro.MicroKinds.Name(kind) + "_perps");

    public string MicroInstrumentDir(Micro.MicroKind kind, string exchange, string instId) =>
        Path.Combine(MicroExchangeDir(kind, exchange), VaultNames.InstId(instId));

    public string MicroDayJsonl(Micro.MicroKind kind, string exchange, string instId, DateOnly day) =>
        Path.Combine(MicroInstrumentDir(kind, exchange, instId), DayFileName(day, ".jsonl"));

    public string QuarantineDir(string exchange) =>
        Path.Combine(RawDir, VaultNames.Exchange(exchange), "quarantine");

    public string QuarantineDay(string exchange, DateOnly day) =>
        Path.Combine(QuarantineDir(exchange), DayFileName(day, ".jsonl"));

    public string DerivedInstrumentDir(string calc, string exchange, string instId) =>
        Path.Combine(DerivedDir, VaultNames.Name(calc), VaultNames.Exchange(exchange), "perps", VaultNames.InstId(instId));

    public string DerivedDay(string calc, string exchange, string instId, DateOnly day) =>
        Path.Combine(DerivedInstrumentDir(calc, exchange, instId), DayFileName(day, ".jsonl"));

    public string DerivedDayParquet(string calc, string exchange, string instId, DateOnly day) =>
        Path.Combine(DerivedInstrumentDir(calc, exchange, instId), DayFileName(day, ".parquet"));

    public string SignalsDay(string strategy, string exchange, string instId, DateOnly day) =>
        Path.Combine(DerivedDir, "signals", VaultNames.Name(strategy), VaultNames.Exchange(exchange),
            VaultNames.InstId(instId), DayFileName(day, ".jsonl"));

    public string LedgerStrategyDir(string strategy) => Path.Combine(LedgerDir, VaultNames.Name(strategy));

    public string LedgerOrders(string strategy) => Path.Combine(LedgerStrategyDir(strategy), "orders.jsonl");

    public string LedgerFills(string strategy) => Path.Combine(LedgerStrategyDir(strategy), "fills.jsonl");

    public string LedgerPositions(string strategy) => Path.Combine(LedgerStrategyDir(strategy), "positions.jsonl");

    public string ExporterState(string exchange, string instId) =>
        Path.Combine(StateDir, "exporter", VaultNames.Exchange(exchange), VaultNames.InstId(instId) + ".json");

    /// <summary>state/micro/{exchange}/{kind}/{instId}.json: the microstructure recorder's counters and last sequence per kind.</summary>
    public string MicroState(Micro.MicroKind kind, string exchange, string instId) =>
        Path.Combine(StateDir, "micro", VaultNames.Exchange(exchange), Micro.MicroKinds.Name(kind), VaultNames.InstId(instId) + ".json");

    public string CalcState(string calc, string exchange, string instId) =>
        Path.Combine(StateDir, VaultNames.Name(calc), VaultNames.Exchange(exchange), "perps",
            VaultNames.InstId(instId) + ".state.json");

    public string ExecutorState(string strategy) =>
        Path.Combine(StateDir, "executor", VaultNames.Name(strategy) + ".json");

    /// <summary>state/venue/{strategy}.json: the venue executor's state (live or paper through an order venue).</summary>
    public string VenueState(string strategy) =>
        Path.Combine(StateDir, "venue", VaultNames.Name(strategy) + ".json");

    /// <summary>Exchanges with a raw folder on disk, sorted.</summary>
    public IReadOnlyList<string> RawExchanges() => ListNames(RawDir, VaultNames.IsExchange);

    /// <summary>Instruments with a raw folder on disk for one exchange, sorted.</summary>
    public IReadOnlyList<string> RawInstruments(string exchange) =>
        ListNames(RawExchangeDir(exchange), VaultNames.IsInstId);

    /// <summary>Exchanges with an exporter state folder, sorted.</summary>
    public IReadOnlyList<string> ExporterStateExchanges() => ListNames(Path.Combine(StateDir, "exporter"), VaultNames.IsExchange);

    /// <summary>
    /// Instruments with an exporter state file for one exchange, sorted: an instrument can have state (and
    /// known gaps) before its first raw trade is written.
    /// </summary>
    public IReadOnlyList<string> ExporterStateInstruments(string exchange)
    {
        var directory = Path.Combine(StateDir, "exporter", VaultNames.Exchange(exchange));
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return [.. Directory.EnumerateFiles(directory, "*.json").Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .Where(VaultNames.IsInstId).Order(StringComparer.Ordinal)];
    }

    /// <summary>Days on disk for one instrument (JSONL or Parquet), sorted ascending, each once.</summary>
    public IReadOnlyList<DateOnly> RawDays(string exchange, string instId) =>
        ListDays(RawInstrumentDir(exchange, instId));

    public static IReadOnlyList<DateOnly> ListDays(string directory)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var days = new SortedSet<DateOnly>();
        foreach (var file in Directory.EnumerateFiles(directory))
        {
            if (TryParseDayFileName(Path.GetFileName(file), out var day, out _))
            {
                days.Add(day);
            }
        }

        return [.. days];
    }

    public static string DayFileName(DateOnly day, string extension) =>
        day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + extension;

    /// <summary>Parses "yyyy-MM-dd.jsonl" or "yyyy-MM-dd.parquet".</summary>
    public static bool TryParseDayFileName(string fileName, out DateOnly day, out string extension)
    {
        day = default;
        extension = Path.GetExtension(fileName);
        if (extension is not (".jsonl" or ".parquet"))
        {
            return false;
        }

        return DateOnly.TryParseExact(Path.GetFileNameWithoutExtension(fileName), "yyyy-MM-dd",
            CultureInfo.InvariantCulture, DateTimeStyles.None, out day);
    }

    private static List<string> ListNames(string directory, Func<string, bool> isValid)
    {
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var names = Directory.EnumerateDirectories(directory).Select(Path.GetFileName).OfType<string>()
            .Where(isValid).ToList();
        names.Sort(StringComparer.Ordinal);
        return names;
    }
}
