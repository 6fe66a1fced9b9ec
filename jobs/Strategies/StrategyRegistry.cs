using Pipeline.Exporter.Venues;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Strategies.MicroMeanReversion;
using Pipeline.Jobs.Strategies.VwapMeanReversion;
using Pipeline.Jobs.Trading;
using Pipeline.Vault.Layout;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Jobs.Strategies;

/// <summary>
/// Strategies by name. A strategy file names its strategy (<c>strategy: vwap_mean_reversion</c>);
/// the registry parses the common keys (id, exchange, instId, execution settings under
/// <c>parameters</c>) and hands the rest of <c>parameters</c> to the strategy's own parser.
/// Others plug in with <see cref="Register"/>.
/// </summary>
public sealed class StrategyRegistry
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>A registry holding every built-in strategy.</summary>
    public static StrategyRegistry CreateDefault()
    {
        var registry = new StrategyRegistry();
        registry.Register(VwapMeanReversionStrategy.StrategyName,
            VwapMeanReversionParameters.Parse,
            config => new VwapMeanReversionStrategy((VwapMeanReversionParameters)config.Parameters));
        registry.Register(MicroMeanReversionStrategy.StrategyName,
            MicroMeanReversionParameters.Parse,
            config => new MicroMeanReversionStrategy((MicroMeanReversionParameters)config.Parameters),
            usesMicro: true, executionDefaults: MicroMeanReversionParameters.ExecutionDefaults);
        return registry;
    }

    public IReadOnlyCollection<string> Names => _entries.Keys;

    /// <param name="name">The value of <c>strategy:</c> in YAML.</param>
    /// <param name="parseParameters">Reads the strategy's keys from <c>parameters</c> (unknown keys are rejected after).</param>
    /// <param name="create">Makes a fresh instance from a loaded config.</param>
    /// <param name="usesMicro">The strategy reads the microstructure indicators (<see cref="StrategyConfig.UsesMicro"/>).</param>
    /// <param name="executionDefaults">The strategy's own execution defaults (e.g. a short holding horizon); null: the common ones.</param>
    public void Register(string name, Func<YamlSection, object> parseParameters, Func<StrategyConfig, IStrategy> create,
        bool usesMicro = false, ExecutionSettings? executionDefaults = null)
    {
        if (!VaultNames.IsName(name))
        {
            throw new ArgumentException($"'{name}' is not a valid strategy name", nameof(name));
        }

        _entries[name] = new Entry(parseParameters, create, usesMicro, executionDefaults);
    }

    /// <summary>Reads and validates a strategy file; errors name the file and key.</summary>
    public StrategyConfig Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new StrategyConfigException($"strategy file {path} does not exist (strategies live in config/strategies/*.yaml)");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>
    /// Every *.yaml / *.yml strategy file of a folder (e.g. config/strategies), sorted by file name.
    /// Two files with the same id are an error: they would share a ledger and a state file.
    /// </summary>
    public IReadOnlyList<StrategyConfig> LoadAll(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new StrategyConfigException($"strategy folder {directory} does not exist");
        }

        var configs = new List<StrategyConfig>();
        foreach (var file in Directory.EnumerateFiles(directory)
                     .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            var config = Load(file);
            if (configs.FirstOrDefault(c => c.Id == config.Id) is { } other)
            {
                throw new StrategyConfigException(file, "id", $"'{config.Id}' is already used by {other.Source}; each strategy file needs its own id");
            }

            configs.Add(config);
        }

        return configs;
    }

    /// <summary>Parses YAML text; <paramref name="source"/> is used in error messages.</summary>
    public StrategyConfig Parse(string yaml, string source)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new StrategyConfigException(source, "", $"not valid YAML at line {ex.Start.Line}: {ex.Message}", ex);
        }

        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new StrategyConfigException(source, "", "must hold one YAML mapping (id, strategy, exchange, instId, parameters)");
        }

        var top = new YamlSection(source, "", root);
        var id = Named(top, "id", top.RequiredString("id"), VaultNames.IsName, "a lower-case name like vwap_mean_reversion");
        var strategy = top.OptionalString("strategy") ?? id;
        if (!_entries.TryGetValue(strategy, out var entry))
        {
            throw new StrategyConfigException(source, "strategy",
                $"unknown strategy '{strategy}'; known: {string.Join(", ", _entries.Keys.Order(StringComparer.Ordinal))}");
        }

        var exchange = Named(top, "exchange", top.RequiredString("exchange"), VenueRegistry.IsKnown, "okx or binance");
        var instId = Named(top, "instId", top.RequiredString("instId"), VaultNames.IsInstId,
            "the exchange's instrument id, e.g. BTC-USDT-SWAP or BTCUSDT");
        // Paper unless the file says live on purpose; a typo ("Live", "real") must not decide where orders go.
        var mode = top.Choice("mode", "paper", "paper", "live") == "live" ? TradingMode.Live : TradingMode.Paper;
        var parameters = top.Section("parameters");
        var execution = ExecutionSettings.Parse(parameters, entry.ExecutionDefaults);
        var own = entry.Parse(parameters);
        parameters.RejectUnknown();
        var riskSection = top.Section("risk");
        var risk = RiskLimits.Parse(riskSection);
        riskSection.RejectUnknown();
        top.RejectUnknown();
        return new StrategyConfig
        {
            Id = id, Strategy = strategy, Exchange = exchange, InstId = instId, Execution = execution,
            Parameters = own, Risk = risk, Mode = mode, Source = source, Factory = entry.Create, UsesMicro = entry.UsesMicro,
        };
    }

    private static string Named(YamlSection section, string key, string value, Func<string, bool> isValid, string expected) =>
        isValid(value) ? value : throw new StrategyConfigException(section.File, section.KeyOf(key), $"'{value}' is not valid: expected {expected}");

    private sealed record Entry(Func<YamlSection, object> Parse, Func<StrategyConfig, IStrategy> Create, bool UsesMicro,
        ExecutionSettings? ExecutionDefaults);
}
