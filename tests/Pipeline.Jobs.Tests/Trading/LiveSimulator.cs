using System.Globalization;
using System.Net;
using System.Text.Json;
using Pipeline.Jobs.Hosting;
using Pipeline.Jobs.Tests.Hosting;
using Pipeline.Simulator;
using Pipeline.Simulator.Market;
using Pipeline.Simulator.Trading;
using Pipeline.Simulator.Truth;
using Pipeline.Testing.Trading;
using Pipeline.Testing.Vaults;
using Pipeline.Vault.Layout;
using Pipeline.Vault.Trades;

namespace Pipeline.Jobs.Tests.Trading;

/// <summary>
/// One loopback simulator for every live process test (both venues' public and private APIs, an account per scenario,
/// the trading truth on disk), and what each test needs around it: a vault that already holds the last hour of the
/// simulated market (so the 1 h VWAP bands are warm when the run starts), pipeline.yaml and strategy files, the child's
/// environment with the keys, and readers of the ledger, signals and /health.
/// </summary>
/// <remarks>
/// Speed 30: one wall second is 30 s of market, so a minute closes every 2 s; trading.pollMs 100 makes the executor's
/// step 3 s of market (the production 500 ms poll at ~6x). Event time starts at the wall clock's now and runs ahead of
/// it (within the exporter's event-time bound, raised to 3 days).
/// </remarks>
public sealed class LiveSimulator : IAsyncLifetime, IDisposable
{
    public const string OkxInst = "BTC-USDT-SWAP";
    public const string BinanceInst = "BTCUSDT";
    public const double Rate = 2;
    public const double Speed = 30;
    public const ulong Seed = 13;
    public const int PollMs = 100;

    /// <summary>OKX BTC-USDT-SWAP: base coin per contract (the truth counts contracts, the ledger base units).</summary>
    public const decimal OkxCtVal = 0.01m;

    private readonly TempDir _dir = new();
    private readonly Dictionary<string, SimAccountSpec> _accounts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Task> _once = new(StringComparer.Ordinal);
    private int _runs;

    private readonly List<SimulatorHost> _hosts = [];

    /// <summary>The simulator of the scenario running now (each scenario starts its own, see <see cref="StartSimulatorAsync"/>).</summary>
    public SimulatorHost Sim { get; private set; } = null!;

    /// <summary>Where the current simulator writes its truth (trading/{account}.jsonl).</summary>
    public string TruthDir { get; private set; } = "";

    public Task InitializeAsync()
    {
        foreach (var name in new[] { "bin-main", "okx-main", "bin-hold", "bin-loss", "okx-kill", "bin-bad", "okx-bad" })
        {
            _accounts[name] = SimAccountSpec.Generate(name);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Starts a simulator for one scenario (so each run's market starts fresh, with the history the test seeds). Event
    /// time begins two hours before the wall clock and runs at <see cref="Speed"/>, so it stays in the past for the whole
    /// scenario (the calculators finish no minute after the wall clock's), and the scenario does not cross a UTC midnight
    /// (the daily loss halt ends at one): when two hours back would, it begins at 20:00 of the day before.
    /// </summary>
    public async Task<SimulatorHost> StartSimulatorAsync(string name)
    {
        if (Sim is not null)
        {
            await Sim.StopAsync(); // the last scenario's market must not take a core from this one
        }

        TruthDir = _dir.File("truth-" + name);
        Sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = [OkxInst, BinanceInst], Rate = Rate, Speed = Speed, Seed = Seed, Start = MarketStart(TimeProvider.System.GetUtcNow()), Micro = true,
            TruthDir = TruthDir, Accounts = [.. _accounts.Values],
        });
        lock (_hosts)
        {
            _hosts.Add(Sim);
        }

        return Sim;
    }

    /// <summary>Two hours before <paramref name="now"/>, or 20:00 of the day before when the scenario's span would cross a midnight.</summary>
    public static DateTimeOffset MarketStart(DateTimeOffset now)
    {
        var start = now.AddHours(-2);
        return start.AddMinutes(-70).UtcDateTime.Date == start.AddMinutes(80).UtcDateTime.Date
            ? start
            : new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(-1).AddHours(20);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }

    public void Dispose() => _dir.Dispose();

    public SimAccountSpec Account(string name) => _accounts[name];

    /// <summary>
    /// A result several tests share (one live run that three tests check): made by the first test that asks, awaited by
    /// the others; a failure fails each of them with the same exception.
    /// </summary>
    public Task<T> Once<T>(string key, Func<Task<T>> make)
    {
        lock (_once)
        {
            if (!_once.TryGetValue(key, out var task))
            {
                _once[key] = task = make();
            }

            return (Task<T>)task;
        }
    }

    public TradingTruth Truth(string account) => TradingTruth.Read(TruthDir, account);

    /// <summary>A folder of its own for one test (its vault, config and strategy files), inside the fixture's temp folder.</summary>
    public string NewFolder(string name)
    {
        var dir = _dir.File($"{name}-{Interlocked.Increment(ref _runs).ToString(CultureInfo.InvariantCulture)}");
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Writes the last 65 minutes of both instruments' market (up to the simulator's now) into the vault's raw days, as
    /// the exporters would have recorded them; the run's exporters resume after the last id and fill the rest by REST, and a
    /// live executor's first start decides from the minute of the newest trade on disk on.
    /// </summary>
    public void SeedHistory(string vaultDir)
    {
        var layout = new VaultLayout(vaultDir);
        var now = Sim.Clock.NowMs;
        foreach (var instId in new[] { OkxInst, BinanceInst })
        {
            var instrument = SimInstruments.Find(instId);
            var market = new MarketGenerator(instrument, Seed, Rate);
            foreach (var day in SimRawTrades.Between(market, now - (65 * 60_000L), now - 1000).GroupBy(t => TradeTime.Day(t.Ts)))
            {
                TestVault.WriteTradeFile(layout.RawDayJsonl(instrument.Exchange, instId, day.Key), day);
            }
        }
    }

    /// <summary>
    /// A VWAP strategy file loose enough to enter most minutes and close each position within 2 minutes;
    /// <paramref name="parameters"/> and <paramref name="risk"/> override or add keys of those sections.
    /// </summary>
    public static string Strategy(string folder, string id, string exchange, string mode = "live",
        IReadOnlyDictionary<string, string>? parameters = null, IReadOnlyDictionary<string, string>? risk = null)
    {
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bandMultiplier"] = "0.1", ["adxMax"] = "100", ["adxNoTrade"] = "100", ["haltMoveBps"] = "10000", ["entryTtl"] = "60s",
            ["takeProfitPct"] = "0.05", ["stopLossPct"] = "0.05", ["exitAfter"] = "2m", ["maxTradesPerDay"] = "1000", ["maxDailyLossPct"] = "100",
        };
        var r = new Dictionary<string, string>(StringComparer.Ordinal) { ["volatilityHaltPct"] = "off", ["maxOrdersPerMinute"] = "off" };
        foreach (var (key, value) in parameters ?? new Dictionary<string, string>())
        {
            p[key] = value;
        }

        foreach (var (key, value) in risk ?? new Dictionary<string, string>())
        {
            r[key] = value;
        }

        var path = Path.Combine(folder, id + ".yaml");
        File.WriteAllText(path, string.Join('\n',
            [$"id: {id}", "strategy: vwap_mean_reversion", $"exchange: {exchange}", $"instId: {(exchange == "okx" ? OkxInst : BinanceInst)}", $"mode: {mode}",
                "parameters:", .. p.Select(kv => $"  {kv.Key}: {kv.Value}"), "risk:", .. r.Select(kv => $"  {kv.Key}: {kv.Value}"), ""]));
        return path;
    }

    /// <summary>pipeline.yaml recording both instruments from the simulator, calculators every second, the given strategies.</summary>
    public string Config(string folder, params string[] strategies)
    {
        var path = Path.Combine(folder, "pipeline.yaml");
        File.WriteAllText(path, $"""
            vault: {Path.Combine(folder, "vault")}
            exchanges:
              okx: {"{"} enabled: true, instruments: [{OkxInst}], channel: trades-all {"}"}
              binance: {"{"} enabled: true, instruments: [{BinanceInst}] {"}"}
            {SimEndpointsYaml.For(Sim, pollMs: PollMs)}
            schedule:
              calculators: "* * * * * ?"
              heartbeat: "* * * * * ?"
              allowFastSchedule: true
              drainTimeoutSeconds: 30
            exporter:
              maxEventTimeSkewSeconds: 259200
            strategies: [{string.Join(", ", strategies)}]
            """);
        return path;
    }

    /// <summary>The child's environment: live confirmed, the keys of the given accounts (Binance and/or OKX), nothing else.</summary>
    public IReadOnlyDictionary<string, string?> Environment(string? binance, string? okx, string? binanceSecret = null, string? okxSecret = null)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PIPELINE_CONFIRM_LIVE"] = "1",
            ["PIPELINE_CREDENTIALS_FILE"] = null,
            ["PIPELINE_BINANCE_API_KEY"] = null, ["PIPELINE_BINANCE_API_SECRET"] = null,
            ["PIPELINE_OKX_API_KEY"] = null, ["PIPELINE_OKX_API_SECRET"] = null, ["PIPELINE_OKX_API_PASSPHRASE"] = null,
        };
        if (binance is not null)
        {
            env["PIPELINE_BINANCE_API_KEY"] = _accounts[binance].ApiKey;
            env["PIPELINE_BINANCE_API_SECRET"] = binanceSecret ?? _accounts[binance].Secret;
        }

        if (okx is not null)
        {
            env["PIPELINE_OKX_API_KEY"] = _accounts[okx].ApiKey;
            env["PIPELINE_OKX_API_SECRET"] = okxSecret ?? _accounts[okx].Secret;
            env["PIPELINE_OKX_API_PASSPHRASE"] = _accounts[okx].Passphrase;
        }

        return env;
    }

    /// <summary>Every key, secret and passphrase of the given accounts, labelled for <see cref="Pipeline.Testing.Secrets.SecretScan"/>.</summary>
    public IReadOnlyDictionary<string, string> Secrets(params string[] accounts)
    {
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in accounts)
        {
            var a = _accounts[name];
            secrets[name + " API key"] = a.ApiKey;
            secrets[name + " secret"] = a.Secret;
            if (name.StartsWith("okx", StringComparison.Ordinal))
            {
                secrets[name + " passphrase"] = a.Passphrase;
            }
        }

        return secrets;
    }

    /// <summary><c>pipeline run --config FILE</c> with the given environment (warnings and errors only on the console).</summary>
    public static PipelineProcess Run(string config, IReadOnlyDictionary<string, string?> environment) =>
        PipelineProcess.Start(["run", "--config", config, "--log-level", "warning"], workingDirectory: Path.GetDirectoryName(config), environment);

    /// <summary>The /health URL the run wrote into its host state file, or null before it did.</summary>
    public static Uri? HealthUrl(string vaultDir, int pid)
    {
        try
        {
            using var state = JsonDocument.Parse(File.ReadAllText(HostStateService.PathFor(vaultDir, HostMode.Run)));
            var root = state.RootElement;
            return root.GetProperty("pid").GetInt32() == pid && root.TryGetProperty("health", out var health) && health.GetString() is { } text
                ? new Uri(text)
                : null;
        }
        catch (Exception ex) when (ex is IOException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>GET of a URL: status and body, or null when nothing answers.</summary>
    public static (HttpStatusCode Code, string Body)? Get(Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        try
        {
            using var response = http.Send(new HttpRequestMessage(HttpMethod.Get, url));
            using var reader = new StreamReader(response.Content.ReadAsStream());
            return (response.StatusCode, reader.ReadToEnd());
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }
}
