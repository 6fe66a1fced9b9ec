namespace Pipeline.Jobs.Config;

/// <summary>
/// Every configuration key, in the dotted form used in messages (<c>schedule.calculators</c>). The
/// YAML file nests them; environment variables spell them <c>PIPELINE_SCHEDULE__CALCULATORS</c>.
/// </summary>
public static class ConfigKeys
{
    public const string Vault = "vault";
    public const string Strategies = "strategies";
    public const string OkxEnabled = "exchanges.okx.enabled";
    public const string OkxInstruments = "exchanges.okx.instruments";
    public const string OkxChannel = "exchanges.okx.channel";
    public const string OkxData = "exchanges.okx.data";
    public const string BinanceData = "exchanges.binance.data";
    public const string BinanceEnabled = "exchanges.binance.enabled";
    public const string BinanceInstruments = "exchanges.binance.instruments";
    public const string OkxWsPublic = "endpoints.okxWsPublic";
    public const string OkxWsBusiness = "endpoints.okxWsBusiness";
    public const string OkxRest = "endpoints.okxRest";
    public const string BinanceWs = "endpoints.binanceWs";
    public const string BinanceRest = "endpoints.binanceRest";
    public const string CalculatorsCron = "schedule.calculators";
    public const string MetadataCron = "schedule.metadata";
    public const string CompactionCron = "schedule.compaction";
    public const string HeartbeatCron = "schedule.heartbeat";
    public const string AllowFastSchedule = "schedule.allowFastSchedule";
    public const string DrainTimeoutSeconds = "schedule.drainTimeoutSeconds";
    public const string LatenessSeconds = "calculators.latenessSeconds";
    public const string SessionHour = "calculators.sessionHour";
    public const string AdxPeriod = "calculators.adxPeriod";
    public const string Bands = "calculators.bands";
    public const string OfiWindowMinutes = "calculators.ofiWindowMinutes";
    public const string ZWindowMinutes = "calculators.zWindowMinutes";
    public const string VpinBucket = "calculators.vpinBucket";
    public const string VpinBuckets = "calculators.vpinBuckets";
    public const string DepthBps = "calculators.depthBps";
    public const string KyleWindow = "calculators.kyleWindow";
    public const string MaxEventTimeSkewSeconds = "exporter.maxEventTimeSkewSeconds";
    public const string HealthAddress = "health.address";
    public const string HealthMaxLagSeconds = "health.maxLagSeconds";
    public const string TradingBinanceRest = "trading.binance.rest";
    public const string TradingBinanceUserStream = "trading.binance.userStream";
    public const string TradingBinanceTestnet = "trading.binance.testnet";
    public const string TradingOkxRest = "trading.okx.rest";
    public const string TradingOkxPrivateWs = "trading.okx.privateWs";
    public const string TradingOkxDemo = "trading.okx.demo";
    public const string TradingOkxTdMode = "trading.okx.tdMode";
    public const string TradingCredentialsFile = "trading.credentialsFile";
    public const string TradingPollMs = "trading.pollMs";

    /// <summary>Each key and whether it holds a list (YAML sequence; comma-separated in env and flags).</summary>
    public static IReadOnlyDictionary<string, bool> All { get; } = new Dictionary<string, bool>(StringComparer.Ordinal)
    {
        [Vault] = false,
        [Strategies] = true,
        [OkxEnabled] = false,
        [OkxInstruments] = true,
        [OkxChannel] = false,
        [OkxData] = true,
        [BinanceData] = true,
        [BinanceEnabled] = false,
        [BinanceInstruments] = true,
        [OkxWsPublic] = false,
        [OkxWsBusiness] = false,
        [OkxRest] = false,
        [BinanceWs] = false,
        [BinanceRest] = false,
        [CalculatorsCron] = false,
        [MetadataCron] = false,
        [CompactionCron] = false,
        [HeartbeatCron] = false,
        [AllowFastSchedule] = false,
        [DrainTimeoutSeconds] = false,
        [LatenessSeconds] = false,
        [SessionHour] = false,
        [AdxPeriod] = false,
        [Bands] = true,
        [OfiWindowMinutes] = false,
        [ZWindowMinutes] = false,
        [VpinBucket] = false,
        [VpinBuckets] = false,
        [DepthBps] = false,
        [KyleWindow] = false,
        [MaxEventTimeSkewSeconds] = false,
        [HealthAddress] = false,
        [HealthMaxLagSeconds] = false,
        [TradingBinanceRest] = false,
        [TradingBinanceUserStream] = false,
        [TradingBinanceTestnet] = false,
        [TradingOkxRest] = false,
        [TradingOkxPrivateWs] = false,
        [TradingOkxDemo] = false,
        [TradingOkxTdMode] = false,
        [TradingCredentialsFile] = false,
        [TradingPollMs] = false,
    };

    public static bool IsList(string key) => All[key];

    /// <summary>True when <paramref name="path"/> is a section that contains keys (e.g. "exchanges.okx").</summary>
    public static bool IsSection(string path) =>
        All.Keys.Any(k => k.StartsWith(path + ".", StringComparison.Ordinal));

    /// <summary>The keys and sections directly under <paramref name="section"/> ("" for the top level).</summary>
    public static IEnumerable<string> Children(string section)
    {
        var prefix = section.Length == 0 ? "" : section + ".";
        return All.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..].Split('.')[0])
            .Distinct(StringComparer.Ordinal);
    }

    /// <summary>The key named by an environment variable (PIPELINE_SCHEDULE__CALCULATORS), matched case-insensitively.</summary>
    public static string? FromEnvironmentName(string variable)
    {
        if (!variable.StartsWith(ConfigEnvironment.Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var dotted = variable[ConfigEnvironment.Prefix.Length..].Replace("__", ".", StringComparison.Ordinal);
        return All.Keys.FirstOrDefault(k => string.Equals(k, dotted, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The environment variable that overrides <paramref name="key"/>.</summary>
    public static string EnvironmentName(string key) =>
        ConfigEnvironment.Prefix + key.Replace(".", "__", StringComparison.Ordinal).ToUpperInvariant();
}
