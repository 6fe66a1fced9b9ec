using System.CommandLine;
using System.Globalization;
using Pipeline.Simulator;
using Pipeline.Simulator.Faults;
using Pipeline.Simulator.Trading;
using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Sim;

/// <summary>
/// <c>pipeline sim</c>: serves the loopback exchange simulator until SIGINT/SIGTERM. Prints one line per
/// endpoint on start (<c>okx-ws-public URL</c>, ... <c>archive URL</c>), in the form the exporter's
/// --okx-ws-public/--okx-ws-business/--okx-rest/--binance-ws/--binance-rest flags take.
/// </summary>
public static class SimCommand
{
    private static readonly Option<string> Host = new("--host") { Description = "Address to listen on", DefaultValueFactory = _ => "127.0.0.1" };
    private static readonly Option<int> Port = new("--port") { Description = "Port (0 picks a free one)", DefaultValueFactory = _ => 0 };

    private static readonly Option<string> Instruments = new("--instruments")
    {
        Description = "Comma list of instruments (OKX: BTC-USDT-SWAP, ETH-USDT-SWAP, BTC-USD-SWAP; Binance: BTCUSDT, ETHUSDT)",
        DefaultValueFactory = _ => "BTC-USDT-SWAP,ETH-USDT-SWAP,BTC-USD-SWAP,BTCUSDT",
    };

    private static readonly Option<double> Rate = new("--rate") { Description = "Average fills per second of event time per instrument", DefaultValueFactory = _ => 200 };
    private static readonly Option<ulong> Seed = new("--seed") { Description = "Market seed: same seed, same trades", DefaultValueFactory = _ => 1 };
    private static readonly Option<string?> Start = new("--start") { Description = "Event-time origin, ISO 8601 (default: now)" };
    private static readonly Option<double> Speed = new("--speed") { Description = "Event time runs this many times faster than wall time", DefaultValueFactory = _ => 1 };

    private static readonly Option<string?> Faults = new("--faults")
    {
        Description = "Comma list: disconnect=5s, dup=0.01, reorder=0.01, malformed=0.001, stall=60s, rest429=0.05; book faults bookdrop=0.01, checksum=0.01, seqgap=0.01 (OKX), stalesnap=0.1 (Binance REST depth); private API orderreject, partialfill, userdrop, eventlost, acklost, ackhold (probabilities as 0.01 or 1%)",
    };

    private static readonly Option<bool> NoMicro = new("--no-micro")
    {
        Description = "Trades only: no order book, quotes, liquidations, mark/funding/open interest (served by default)",
    };

    private static readonly Option<bool> OkxZeroChecksum = new("--okx-zero-checksum")
    {
        Description = "OKX books messages carry checksum 0, as OKX does from 23 June 2026 (default: the CRC32 of the top 25 levels)",
    };

    private static readonly Option<string?> Silence = new("--silence")
    {
        Description = "Comma list INST@OFFSET+DURATION: the instrument has no trade from OFFSET after the start for DURATION (a quiet market; pings still answered), e.g. BTCUSDT@10m+5m",
    };

    private static readonly Option<string?> Truth = new("--truth")
    {
        Description = "Write every published trade to DIR/{exchange}/{instId}.jsonl (and the book, quotes, liquidations, derivatives to DIR/{exchange}/{kind}/{instId}.jsonl, book faults to DIR/book-faults.jsonl); DIR/truth.json says the complete range {startTs,endTs}",
    };

    private static readonly Option<double> OkxIdle = new("--okx-idle") { Description = "Seconds without traffic before OKX drops a WebSocket (4004)", DefaultValueFactory = _ => 30 };

    private static readonly Option<string?> OkxLegacyArchive = new("--okx-legacy-archive")
    {
        Description = "Comma list of OKX instIds (or *) whose daily archives use the legacy bilingual CSV header",
    };

    private static readonly Option<string?> CorruptArchive = new("--corrupt-archive")
    {
        Description = "Fault hook: comma list of dates (yyyy-MM-dd) whose archive zips are served with one byte flipped (Binance .CHECKSUM stays that of the good file)",
    };

    private static readonly Option<int> Accounts = new("--accounts")
    {
        Description = "Serve the private trading APIs (Binance USD-M signed REST + user data stream, OKX signed REST + private WebSocket) with N (0..100) generated test accounts; prints 'account NAME KEY SECRET PASSPHRASE' per account (simulator keys only)",
        DefaultValueFactory = _ => 0,
    };

    private static readonly Option<string?> AccountsFile = new("--accounts-file")
    {
        Description = "Serve the private trading APIs with the accounts of this JSON file (owner-only, chmod 600): [{\"name\",\"apiKey\",\"secret\",\"passphrase\" (OKX),\"balance\",\"makerFee\",\"takerFee\",\"ordersPer10s\",\"ordersPerMinute\"}]; prints 'account NAME KEY' (no secret)",
    };

    public static Command Create()
    {
        var command = new Command("sim", "Serve a loopback OKX + Binance USD-M exchange simulator (WebSocket, REST, daily archives) over a deterministic market, with optional faults and ground truth; with --accounts also both venues' private trading APIs (signed orders, user streams)");
        foreach (var option in new Option[] { Host, Port, Instruments, Rate, Seed, Start, Speed, Faults, Silence, Truth, OkxIdle, OkxLegacyArchive, CorruptArchive, NoMicro, OkxZeroChecksum, Accounts, AccountsFile })
        {
            command.Options.Add(option);
        }

        CommandAction.Set(command, RunAsync, fileLog: false);
        return command;
    }

    /// <summary>The options from the command line; usage errors as <see cref="UsageException"/>.</summary>
    public static SimulatorOptions Options(CommandContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var rate = context.Get(Rate);
        if (rate <= 0 || double.IsNaN(rate) || double.IsInfinity(rate))
        {
            throw new UsageException("--rate: must be a positive number of fills per second");
        }

        var speed = context.Get(Speed);
        if (speed <= 0 || double.IsNaN(speed) || double.IsInfinity(speed))
        {
            throw new UsageException("--speed: must be positive");
        }

        var port = context.Get(Port);
        if (port is < 0 or > 65535)
        {
            throw new UsageException("--port: must be 0..65535");
        }

        var host = context.Get(Host) ?? "127.0.0.1";
        if (host != "localhost" && !System.Net.IPAddress.TryParse(host, out _))
        {
            throw new UsageException($"--host: '{host}' is not an IP address (or localhost)");
        }

        DateTimeOffset? start = null;
        if (context.Get(Start) is { } startText)
        {
            if (!DateTimeOffset.TryParse(startText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            {
                throw new UsageException($"--start: '{startText}' is not an ISO 8601 time (e.g. 2026-03-01T00:00:00Z)");
            }

            start = parsed;
        }

        var instruments = CommonOptions.List(context.Get(Instruments));
        if (instruments.Count == 0)
        {
            throw new UsageException("--instruments: give at least one instrument");
        }

        foreach (var name in instruments)
        {
            if (!Pipeline.Simulator.Market.SimInstruments.TryFind(name, out _))
            {
                throw new UsageException($"--instruments: unknown instrument '{name}' (known: {string.Join(", ", Pipeline.Simulator.Market.SimInstruments.All.Select(i => i.InstId))})");
            }
        }

        FaultSpec faults;
        try
        {
            faults = FaultSpec.Parse(context.Get(Faults));
        }
        catch (FormatException ex)
        {
            throw new UsageException("--faults: " + ex.Message, ex);
        }

        var origin = start ?? context.Time.GetUtcNow();
        var silences = new List<SimSilence>();
        foreach (var item in CommonOptions.List(context.Get(Silence)))
        {
            try
            {
                silences.Add(SimSilence.Parse(item, origin));
            }
            catch (FormatException ex)
            {
                throw new UsageException("--silence: " + ex.Message, ex);
            }

            if (!instruments.Contains(silences[^1].InstId))
            {
                throw new UsageException($"--silence: '{silences[^1].InstId}' is not one of --instruments");
            }
        }

        var idle = context.Get(OkxIdle);
        if (idle <= 0 || double.IsNaN(idle) || double.IsInfinity(idle))
        {
            throw new UsageException("--okx-idle: must be a positive number of seconds");
        }

        var accounts = AccountsOf(context);
        if (accounts.Count > 0 && context.Get(NoMicro))
        {
            throw new UsageException("--accounts/--accounts-file: the private API matches orders against the order book, which --no-micro turns off");
        }

        return new SimulatorOptions
        {
            Accounts = accounts,
            Host = host,
            Port = port,
            Instruments = instruments,
            Rate = rate,
            Seed = context.Get(Seed),
            Start = origin,
            Speed = speed,
            Faults = faults,
            Silences = silences,
            TruthDir = context.Get(Truth),
            Micro = !context.Get(NoMicro),
            OkxBookChecksum = !context.Get(OkxZeroChecksum),
            OkxIdleTimeout = TimeSpan.FromSeconds(idle),
            OkxLegacyArchive = CommonOptions.List(context.Get(OkxLegacyArchive)).ToHashSet(StringComparer.Ordinal),
            CorruptArchiveDays = [.. CommonOptions.List(context.Get(CorruptArchive)).Select(d =>
                DateOnly.TryParseExact(d, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var day)
                    ? day
                    : throw new UsageException($"--corrupt-archive: '{d}' is not a date (yyyy-MM-dd)"))],
            Time = context.Time,
        };
    }

    /// <summary>
    /// The accounts of --accounts N (generated; their secret is printed, the one place a simulator's test secret is shown) or
    /// --accounts-file (given; the file must be readable by its owner only, and its secrets are never printed).
    /// </summary>
    private static IReadOnlyList<SimAccountSpec> AccountsOf(CommandContext context)
    {
        var count = context.Get(Accounts);
        var file = context.Get(AccountsFile);
        if (count is < 0 or > 100)
        {
            throw new UsageException("--accounts: must be 0..100");
        }

        if (count > 0 && file is not null)
        {
            throw new UsageException("--accounts and --accounts-file: give one of them");
        }

        if (file is null)
        {
            return [.. Enumerable.Range(1, count).Select(n => SimAccountSpec.Generate("acct" + n.ToString(CultureInfo.InvariantCulture)))];
        }

        if (!File.Exists(file))
        {
            throw new UsageException($"--accounts-file: '{file}' does not exist");
        }

        if (!OperatingSystem.IsWindows() &&
            (File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
        {
            throw new UsageException($"--accounts-file: '{file}' holds secrets but others can read or write it (chmod 600)");
        }

        try
        {
            return SimAccountsFile.Parse(File.ReadAllText(file));
        }
        catch (FormatException ex)
        {
            throw new UsageException($"--accounts-file: {ex.Message}", ex);
        }
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        var options = Options(context);
        var generated = context.Get(Accounts) > 0;
        await using var host = await SimulatorHost.StartAsync(options, token);
        foreach (var line in host.Endpoints.Lines())
        {
            await context.Output.WriteLineAsync(line);
        }

        foreach (var account in options.Accounts)
        {
            // A simulator's generated test key must reach its user; a given (file) secret is never echoed.
            await context.Output.WriteLineAsync(generated
                ? $"account {account.Name} {account.ApiKey} {account.Secret} {account.Passphrase}"
                : $"account {account.Name} {account.ApiKey}");
        }

        await context.Output.FlushAsync(token);
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // SIGINT/SIGTERM: a normal stop
        }

        await host.StopAsync(CancellationToken.None);
        return ExitCodes.Ok;
    }
}
