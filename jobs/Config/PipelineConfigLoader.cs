using Pipeline.Calculators.Runner;
using Pipeline.Exporter.Binance.Trading;
using Pipeline.Exporter.Micro;
using Pipeline.Exporter.Okx.Trading;
using Pipeline.Vault.Micro;
using System.Globalization;
using Pipeline.Jobs.Cli;
using Pipeline.Vault.Layout;
using Quartz;

namespace Pipeline.Jobs.Config;

/// <summary>
/// Builds the <see cref="PipelineConfig"/>: built-in defaults, then the YAML file (--config FILE,
/// else ./pipeline.yaml when present), then PIPELINE_* environment variables, then flags. Any
/// invalid value is a <see cref="UsageException"/> naming the key and where it came from.
/// </summary>
public static class PipelineConfigLoader
{
    public const string DefaultFileName = "pipeline.yaml";

    /// <summary>Production rule for the calculators cron: every 1 to 5 minutes.</summary>
    public static readonly TimeSpan MinCalculatorInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxCalculatorInterval = TimeSpan.FromMinutes(5);

    private static readonly CalcOptions CalcDefaults = new();

    private static readonly Dictionary<string, string> Defaults = new(StringComparer.Ordinal)
    {
        [ConfigKeys.OkxEnabled] = "true",
        [ConfigKeys.OkxChannel] = "trades-all",
        [ConfigKeys.BinanceEnabled] = "true",
        [ConfigKeys.OkxWsPublic] = EndpointsConfig.Production.OkxWsPublic.ToString(),
        [ConfigKeys.OkxWsBusiness] = EndpointsConfig.Production.OkxWsBusiness.ToString(),
        [ConfigKeys.OkxRest] = EndpointsConfig.Production.OkxRest.ToString(),
        [ConfigKeys.BinanceWs] = EndpointsConfig.Production.BinanceWs.ToString(),
        [ConfigKeys.BinanceRest] = EndpointsConfig.Production.BinanceRest.ToString(),
        // schedule.calculators has no fixed default: it is derived from the lateness (CalculatorSchedule.DefaultCron).
        [ConfigKeys.MetadataCron] = "0 7 * * * ?",          // hourly, off the calculators' minute
        [ConfigKeys.CompactionCron] = "0 30 0 * * ?",       // daily 00:30 UTC, once yesterday is closed
        [ConfigKeys.HeartbeatCron] = "0/30 * * * * ?",
        [ConfigKeys.AllowFastSchedule] = "false",
        [ConfigKeys.DrainTimeoutSeconds] = "120",
        [ConfigKeys.LatenessSeconds] = "2",
        [ConfigKeys.SessionHour] = "0",
        [ConfigKeys.AdxPeriod] = Invariant(CalcDefaults.AdxPeriod),
        [ConfigKeys.OfiWindowMinutes] = Invariant(CalcDefaults.OfiWindowMinutes),
        [ConfigKeys.ZWindowMinutes] = Invariant(CalcDefaults.RobustZMinutes),
        [ConfigKeys.VpinBucket] = Invariant(CalcDefaults.VpinBucketVolume),
        [ConfigKeys.VpinBuckets] = Invariant(CalcDefaults.VpinBuckets),
        [ConfigKeys.DepthBps] = Invariant(CalcDefaults.DepthBps),
        [ConfigKeys.KyleWindow] = Invariant(CalcDefaults.KyleWindow),
        [ConfigKeys.MaxEventTimeSkewSeconds] = "86400",
        [ConfigKeys.HealthAddress] = HealthConfig.DefaultAddress,
        [ConfigKeys.HealthMaxLagSeconds] = "120",
        // trading.*.rest/userStream/privateWs have no fixed default: production, or testnet/demo when that flag is on.
        [ConfigKeys.TradingBinanceTestnet] = "false",
        [ConfigKeys.TradingOkxDemo] = "false",
        [ConfigKeys.TradingOkxTdMode] = "cross",
        [ConfigKeys.TradingPollMs] = Invariant(TradingConfig.DefaultPollMs),
    };

    private static readonly Dictionary<string, IReadOnlyList<string>> DefaultLists = new(StringComparer.Ordinal)
    {
        [ConfigKeys.OkxInstruments] = ["BTC-USDT-SWAP", "ETH-USDT-SWAP"],
        [ConfigKeys.BinanceInstruments] = ["BTCUSDT", "ETHUSDT"],
        [ConfigKeys.Strategies] = [],
        [ConfigKeys.Bands] = [.. CalcDefaults.BandMultipliers.Select(Invariant)],
    };

    /// <summary>Loads for this process: its environment and working directory.</summary>
    public static PipelineConfig Load(string? configFile, IReadOnlyList<ConfigOverride> flags) =>
        Load(configFile, ConfigEnvironment.Current(), flags, Directory.GetCurrentDirectory());

    public static PipelineConfig Load(string? configFile, IReadOnlyDictionary<string, string> environment,
        IReadOnlyList<ConfigOverride> flags, string workingDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(flags);
        ArgumentNullException.ThrowIfNull(workingDirectory);

        var values = new Dictionary<string, ConfigValue>(StringComparer.Ordinal);
        foreach (var (key, text) in Defaults)
        {
            values[key] = new ConfigValue(text, null, "default");
        }

        foreach (var (key, list) in DefaultLists)
        {
            values[key] = new ConfigValue(null, list, "default");
        }

        var file = ResolveFile(configFile, workingDirectory);
        if (file is not null)
        {
            foreach (var (key, value) in YamlConfigReader.Read(file))
            {
                values[key] = value;
            }
        }

        foreach (var (variable, text) in environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var key = ConfigKeys.FromEnvironmentName(variable);
            if (key is null)
            {
                // PIPELINE_LOG_LEVEL ... belong to others; a PIPELINE_A__B that
                // names no key is a typo and must not pass silently.
                if (variable.Contains("__", StringComparison.Ordinal))
                {
                    throw new UsageException($"environment variable {variable}: names no configuration key (known: {string.Join(", ", ConfigKeys.All.Keys.Select(ConfigKeys.EnvironmentName))})");
                }

                continue;
            }

            values[key] = FromText(key, text, "environment variable " + variable);
        }

        foreach (var flag in flags)
        {
            if (!ConfigKeys.All.ContainsKey(flag.Key))
            {
                throw new ArgumentException($"unknown configuration key '{flag.Key}'", nameof(flags));
            }

            values[flag.Key] = FromText(flag.Key, flag.Value, flag.Flag);
        }

        return Bind(values, file, workingDirectory);
    }

    /// <summary>--config FILE (must exist), else ./pipeline.yaml when present, else none.</summary>
    public static string? ResolveFile(string? configFile, string workingDirectory)
    {
        if (!string.IsNullOrWhiteSpace(configFile))
        {
            var path = Path.GetFullPath(configFile, workingDirectory);
            return File.Exists(path) ? path : throw new UsageException($"--config: file not found: {path}");
        }

        var implicitFile = Path.Combine(workingDirectory, DefaultFileName);
        return File.Exists(implicitFile) ? implicitFile : null;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Invariant(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static ConfigValue FromText(string key, string text, string source) =>
        ConfigKeys.IsList(key)
            ? new ConfigValue(null, CommonOptions.List(text), source)
            : new ConfigValue(text.Trim(), null, source);

    private static PipelineConfig Bind(Dictionary<string, ConfigValue> values, string? file, string workingDirectory)
    {
        var reader = new Binder(values);
        var allowFast = reader.Bool(ConfigKeys.AllowFastSchedule);
        var vaultText = values.ContainsKey(ConfigKeys.Vault) ? reader.Text(ConfigKeys.Vault) : VaultLayout.DefaultDirectory;
        string vault;
        try
        {
            vault = new VaultLayout(Path.GetFullPath(vaultText, workingDirectory)).Root;
        }
        catch (ArgumentException ex)
        {
            throw reader.Error(ConfigKeys.Vault, ex.Message);
        }

        var okxChannel = reader.Text(ConfigKeys.OkxChannel);
        if (okxChannel is not ("trades-all" or "trades"))
        {
            throw reader.Error(ConfigKeys.OkxChannel, $"'{okxChannel}' is not a channel (trades-all or trades)");
        }

        var exchanges = new List<ExchangeConfig>
        {
            new("okx", reader.Bool(ConfigKeys.OkxEnabled), reader.Instruments(ConfigKeys.OkxInstruments), okxChannel) { Data = reader.Data(ConfigKeys.OkxData, "okx") },
            new("binance", reader.Bool(ConfigKeys.BinanceEnabled), reader.Instruments(ConfigKeys.BinanceInstruments), null) { Data = reader.Data(ConfigKeys.BinanceData, "binance") },
        };

        var endpoints = new EndpointsConfig(
            reader.Uri(ConfigKeys.OkxWsPublic, "ws", "wss"),
            reader.Uri(ConfigKeys.OkxWsBusiness, "ws", "wss"),
            reader.Uri(ConfigKeys.OkxRest, "http", "https"),
            reader.Uri(ConfigKeys.BinanceWs, "ws", "wss"),
            reader.Uri(ConfigKeys.BinanceRest, "http", "https"));

        var lateness = reader.Decimal(ConfigKeys.LatenessSeconds, 0m, 3600m);
        var latenessSpan = TimeSpan.FromMilliseconds((double)(lateness * 1000m));

        // Unset: every minute just after the minute before it becomes final, so a changed lateness moves the schedule with it.
        var calculatorsCron = values.ContainsKey(ConfigKeys.CalculatorsCron)
            ? reader.Cron(ConfigKeys.CalculatorsCron)
            : CalculatorSchedule.DefaultCron(latenessSpan);
        if (!allowFast)
        {
            var (min, max) = CronIntervals.Range(calculatorsCron);
            if (min < MinCalculatorInterval || max > MaxCalculatorInterval)
            {
                throw reader.Error(ConfigKeys.CalculatorsCron,
                    $"'{calculatorsCron}' fires every {CronIntervals.Describe(min)} to {CronIntervals.Describe(max)}; production allows every 1 to 5 minutes (set {ConfigKeys.AllowFastSchedule}: true for tests and demos)");
            }
        }

        var schedule = new ScheduleConfig(
            calculatorsCron,
            reader.Cron(ConfigKeys.MetadataCron),
            reader.Cron(ConfigKeys.CompactionCron),
            reader.Cron(ConfigKeys.HeartbeatCron),
            allowFast,
            TimeSpan.FromSeconds(reader.Int(ConfigKeys.DrainTimeoutSeconds, 1, 3600)));

        // The ranges are CalcOptions.Validate's, checked here so a bad value names its key and source.
        var calculators = new CalculationConfig(latenessSpan, reader.Int(ConfigKeys.SessionHour, 0, 23))
        {
            AdxPeriod = reader.Int(ConfigKeys.AdxPeriod, 2, 1000),
            Bands = reader.PositiveDecimals(ConfigKeys.Bands),
            OfiWindowMinutes = reader.Int(ConfigKeys.OfiWindowMinutes, 1, 1440),
            ZWindowMinutes = reader.Int(ConfigKeys.ZWindowMinutes, 2, 1440),
            VpinBucket = reader.PositiveDecimal(ConfigKeys.VpinBucket, decimal.MaxValue, "a positive volume in base units (e.g. 10 or 0.5)"),
            VpinBuckets = reader.Int(ConfigKeys.VpinBuckets, 1, 10_000),
            DepthBps = reader.PositiveDecimal(ConfigKeys.DepthBps, 10_000m, "a number of basis points above 0 and at most 10000"),
            KyleWindow = reader.Int(ConfigKeys.KyleWindow, 3, 10_000),
        };

        var strategies = new List<string>();
        foreach (var item in reader.List(ConfigKeys.Strategies))
        {
            var path = Path.GetFullPath(item, workingDirectory);
            if (!(path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)))
            {
                throw reader.Error(ConfigKeys.Strategies, $"'{item}' is not a strategy YAML file (*.yaml)");
            }

            if (!File.Exists(path))
            {
                throw reader.Error(ConfigKeys.Strategies, $"strategy file not found: {path}");
            }

            strategies.Add(path);
        }

        return new PipelineConfig
        {
            Vault = vault,
            Exchanges = exchanges,
            Endpoints = endpoints,
            Schedule = schedule,
            Calculators = calculators,
            Strategies = strategies,
            MaxEventTimeSkew = TimeSpan.FromSeconds(reader.Int(ConfigKeys.MaxEventTimeSkewSeconds, 1, 366 * 86_400)),
            Health = new HealthConfig(reader.ListenAddress(ConfigKeys.HealthAddress), TimeSpan.FromSeconds(reader.Int(ConfigKeys.HealthMaxLagSeconds, 1, 86_400))),
            Trading = Trading(reader, values, workingDirectory),
            SourceFile = file,
        };
    }

    /// <summary>The <c>trading:</c> section; an endpoint left out follows the testnet/demo flag.</summary>
    private static TradingConfig Trading(Binder reader, Dictionary<string, ConfigValue> values, string workingDirectory)
    {
        var testnet = reader.Bool(ConfigKeys.TradingBinanceTestnet);
        var demo = reader.Bool(ConfigKeys.TradingOkxDemo);
        var tdMode = reader.Text(ConfigKeys.TradingOkxTdMode);
        if (tdMode is not ("cross" or "isolated"))
        {
            throw reader.Error(ConfigKeys.TradingOkxTdMode, $"'{tdMode}' is not a trade mode (cross or isolated)");
        }

        Uri Endpoint(string key, Uri fallback, params string[] schemes) =>
            values.ContainsKey(key) ? reader.Uri(key, schemes) : fallback;

        var binance = new BinanceVenueOptions
        {
            Rest = Endpoint(ConfigKeys.TradingBinanceRest, testnet ? BinanceVenueOptions.TestnetRest : BinanceVenueOptions.ProductionRest, "http", "https"),
            UserStream = Endpoint(ConfigKeys.TradingBinanceUserStream,
                testnet ? BinanceVenueOptions.TestnetUserStream : BinanceVenueOptions.ProductionUserStream, "ws", "wss"),
            Testnet = testnet,
        };
        var okx = new OkxVenueOptions
        {
            // OKX demo trading shares the REST host (x-simulated-trading: 1 marks it); only the WebSocket host differs.
            Rest = Endpoint(ConfigKeys.TradingOkxRest, OkxVenueOptions.ProductionRest, "http", "https"),
            PrivateWs = Endpoint(ConfigKeys.TradingOkxPrivateWs, demo ? OkxVenueOptions.DemoPrivateWs : OkxVenueOptions.ProductionPrivateWs, "ws", "wss"),
            Demo = demo,
            TdMode = tdMode,
        };
        string? credentials = null;
        if (values.ContainsKey(ConfigKeys.TradingCredentialsFile))
        {
            var text = reader.Text(ConfigKeys.TradingCredentialsFile);
            try
            {
                credentials = Path.GetFullPath(text, workingDirectory);
            }
            catch (ArgumentException ex)
            {
                throw reader.Error(ConfigKeys.TradingCredentialsFile, $"'{text}' is not a path: {ex.Message}");
            }
        }

        var poll = reader.Int(ConfigKeys.TradingPollMs, 50, 60_000);
        return new TradingConfig(binance, okx, credentials, TimeSpan.FromMilliseconds(poll));
    }

    /// <summary>Typed reads of the merged values; each failure names the key and its source.</summary>
    private sealed class Binder(Dictionary<string, ConfigValue> values)
    {
        public UsageException Error(string key, string problem) =>
            new($"{values[key].Source}: {key}: {problem}");

        public string Text(string key) => values[key].Scalar ?? throw Error(key, "needs a value");

        public IReadOnlyList<string> List(string key) => values[key].List ?? [];

        public bool Bool(string key) => Text(key).ToLowerInvariant() switch
        {
            "true" => true,
            "false" => false,
            var other => throw Error(key, $"'{other}' is not true or false"),
        };

        public int Int(string key, int min, int max) =>
            int.TryParse(Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
                ? value
                : throw Error(key, $"'{Text(key)}' is not a whole number from {min} to {max}");

        public decimal Decimal(string key, decimal min, decimal max) =>
            decimal.TryParse(Text(key), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
                && value >= min && value <= max
                ? value
                : throw Error(key, $"'{Text(key)}' is not a number of seconds from {min} to {max}");

        /// <summary>A decimal above 0 and at most <paramref name="max"/> (plain notation: digits and one point).</summary>
        public decimal PositiveDecimal(string key, decimal max, string what) =>
            ParsePositive(Text(key), max) is { } value ? value : throw Error(key, $"'{Text(key)}' is not {what}");

        /// <summary>A non-empty list of positive decimals; the error names the first bad item.</summary>
        public List<decimal> PositiveDecimals(string key)
        {
            var list = List(key);
            if (list.Count == 0)
            {
                throw Error(key, "needs at least one multiplier, e.g. [1, 2]");
            }

            var values = new List<decimal>();
            foreach (var item in list)
            {
                values.Add(ParsePositive(item, decimal.MaxValue) ?? throw Error(key, $"'{item}' is not a positive number"));
            }

            return values;
        }

        private static decimal? ParsePositive(string text, decimal max) =>
            decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= max
                ? value
                : null;

        public Uri Uri(string key, params string[] schemes)
        {
            var text = Text(key);
            return System.Uri.TryCreate(text, UriKind.Absolute, out var uri) && schemes.Contains(uri.Scheme, StringComparer.Ordinal)
                ? uri
                : throw Error(key, $"'{text}' is not an absolute {string.Join(" or ", schemes)} URL");
        }

        /// <summary>
        /// "off", or IP:port to listen on ("127.0.0.1:9464", "[::1]:9464", "0.0.0.0:9464"; "localhost" means 127.0.0.1;
        /// port 0 picks a free port). A host name is refused: the listener binds an address, not a name.
        /// </summary>
        public System.Net.IPEndPoint? ListenAddress(string key)
        {
            var text = Text(key);
            if (string.Equals(text, "off", StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var colon = text.LastIndexOf(':');
            var hasPort = colon > 0 && colon < text.Length - 1 && text[(colon + 1)..].All(char.IsAsciiDigit)
                && (text[..colon].EndsWith(']') || !text[..colon].Contains(':', StringComparison.Ordinal));
            var address = hasPort && string.Equals(text[..colon], "localhost", StringComparison.OrdinalIgnoreCase)
                ? "127.0.0.1" + text[colon..]
                : text;
            return hasPort && System.Net.IPEndPoint.TryParse(address, out var endpoint) && endpoint.Port <= 65535
                ? endpoint
                : throw Error(key, $"'{text}' is not an address to listen on (IP:port such as 127.0.0.1:9464 or [::1]:9464, port 0 for any free port, or off)");
        }

        public string Cron(string key)
        {
            var text = Text(key);
            try
            {
                _ = new CronExpression(text);
                return text;
            }
            catch (FormatException ex)
            {
                throw Error(key, $"'{text}' is not a valid Quartz cron expression (seconds minutes hours day-of-month month day-of-week, e.g. '0 * * * * ?'): {ex.Message}");
            }
        }

        /// <summary>The data kinds an exporter records (unset: trades only).</summary>
        public ExportData Data(string key, string exchange)
        {
            if (!values.TryGetValue(key, out var value))
            {
                return ExportData.Default;
            }

            // An empty list set on purpose names nothing to record; it must not quietly mean "trades".
            if (value.List is not { Count: > 0 } list)
            {
                throw Error(key, $"names no data kind (expected a list of {string.Join(", ", ExportData.Names)}; leave the key out for trades only)");
            }

            ExportData data;
            try
            {
                data = ExportData.Parse(list);
            }
            catch (ArgumentException ex)
            {
                throw Error(key, ex.Message);
            }

            var supported = Pipeline.Exporter.Venues.VenueRegistry.For(exchange).SupportedMicroKinds;
            var unsupported = data.Micro.Where(k => !supported.Contains(k)).Select(MicroKinds.Name).ToList();
            return unsupported.Count == 0 ? data : throw Error(key, $"{string.Join(',', unsupported)} not recorded from {exchange} yet");
        }

        public IReadOnlyList<string> Instruments(string key)
        {
            var list = List(key);
            foreach (var id in list)
            {
                if (!VaultNames.IsInstId(id))
                {
                    throw Error(key, $"'{id}' is not an instrument id (upper case, e.g. BTC-USDT-SWAP or BTCUSDT; ^[A-Z0-9][A-Z0-9._-]{{0,63}}$)");
                }
            }

            if (list.Distinct(StringComparer.Ordinal).Count() != list.Count)
            {
                throw Error(key, "lists an instrument twice");
            }

            return list;
        }
    }
}
