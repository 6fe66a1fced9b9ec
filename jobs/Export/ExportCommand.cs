using System.CommandLine;
using Pipeline.Exporter;
using Pipeline.Exporter.Micro;
using Pipeline.Jobs.Cli;

namespace Pipeline.Jobs.Export;

/// <summary>
/// <c>pipeline export</c>: records every public trade of the given perpetual swaps into the vault until
/// SIGINT/SIGTERM, then drains, fsyncs and exits 0.
/// </summary>
public static class ExportCommand
{
    private static readonly Option<string> Exchange = new("--exchange") { Description = "okx or binance", Required = true };
    private static readonly Option<string> Inst = new("--inst") { Description = "Instruments, comma separated (BTC-USDT-SWAP,BTC-USD-SWAP or BTCUSDT,ETHUSDT)", Required = true };
    private static readonly Option<string> Channel = new("--channel") { Description = "OKX channel: trades-all (per fill, /business; default) or trades (aggregated, /public)", DefaultValueFactory = _ => "trades-all" };
    private static readonly Option<string> Data = new("--data") { Description = "What to record, comma separated: trades,quotes,book,liquidations,derivatives (default trades)", DefaultValueFactory = _ => ExportData.TradesName };
    private static readonly Option<string> OkxWsPublic = new("--okx-ws-public") { Description = "OKX public WebSocket URL", DefaultValueFactory = _ => ExporterOptions.OkxWsPublicDefault };
    private static readonly Option<string> OkxWsBusiness = new("--okx-ws-business") { Description = "OKX business WebSocket URL (trades-all)", DefaultValueFactory = _ => ExporterOptions.OkxWsBusinessDefault };
    private static readonly Option<string> OkxRest = new("--okx-rest") { Description = "OKX REST base URL", DefaultValueFactory = _ => ExporterOptions.OkxRestDefault };
    private static readonly Option<string> BinanceWs = new("--binance-ws") { Description = "Binance USD-M WebSocket base (trades, liquidations and mark price: {base}/market/stream?streams=...; quotes and book: {base}/public/stream?streams=...)", DefaultValueFactory = _ => ExporterOptions.BinanceWsDefault };
    private static readonly Option<string> BinanceRest = new("--binance-rest") { Description = "Binance USD-M REST base URL", DefaultValueFactory = _ => ExporterOptions.BinanceRestDefault };
    private static readonly Option<string?> WsUrl = new("--ws-url") { Description = "Connect to exactly this WebSocket URL instead (diagnostics: e.g. to see OKX answer 60018 for a wrong path)" };
    private static readonly Option<double?> SilenceTimeout = new("--silence-timeout") { Description = "Seconds without trade data before the silence is reported (once; never a reconnect: liveness comes from pings; on Binance the wrong-host alarm); default OKX 25, Binance 30" };
    private static readonly Option<double?> PingInterval = new("--ping-interval") { Description = "Keepalive interval in seconds (OKX text ping, Binance LIST_SUBSCRIPTIONS; default 20); an answer missing for 10 s with nothing else received means a dead link" };
    private static readonly Option<double?> MaxEventTimeSkew = new("--max-event-time-skew") { Description = "Seconds a trade's event time may lie from its receive time before it is quarantined (default 86400)" };
    private static readonly Option<double?> RestInterval = new("--rest-interval") { Description = "Minimum milliseconds between REST history requests (default OKX 110, Binance 500)" };

    public static Command Create()
    {
        var command = new Command("export",
            "Record every public trade of perpetual swaps (OKX trades-all or Binance aggTrade) into the vault: " +
            "dedup across reconnects and restarts, REST gap fill, quarantine of bad frames, state with watermark. " +
            "Runs until Ctrl+C/SIGTERM, then drains and fsyncs.\n" +
            "Example: pipeline export --exchange okx --inst BTC-USDT-SWAP,BTC-USD-SWAP --vault /data/vault");
        foreach (var option in new Option[] { Exchange, Inst, Data, Channel, OkxWsPublic, OkxWsBusiness, OkxRest, BinanceWs, BinanceRest, WsUrl, SilenceTimeout, PingInterval, RestInterval, MaxEventTimeSkew })
        {
            command.Options.Add(option);
        }

        CommandAction.Set(command, RunAsync, vault: VaultUse.Record);
        return command;
    }

    private static async Task<int> RunAsync(CommandContext context, CancellationToken token)
    {
        ExportData data;
        try
        {
            data = ExportData.Parse(context.Get(Data) ?? ExportData.TradesName);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException("--data: " + ex.Message, ex);
        }

        var options = new ExporterOptions
        {
            Data = data,
            Exchange = CommonOptions.ExchangeFilter(context.Get(Exchange)) ?? string.Empty,
            InstIds = CommonOptions.InstIds(context.Get(Inst)),
            Channel = context.Get(Channel) ?? "trades-all",
            OkxWsPublic = Url(context.Get(OkxWsPublic), "--okx-ws-public", websocket: true)!,
            OkxWsBusiness = Url(context.Get(OkxWsBusiness), "--okx-ws-business", websocket: true)!,
            OkxRest = Url(context.Get(OkxRest), "--okx-rest", websocket: false)!,
            BinanceWs = Url(context.Get(BinanceWs), "--binance-ws", websocket: true)!,
            BinanceRest = Url(context.Get(BinanceRest), "--binance-rest", websocket: false)!,
            WsUrlOverride = Url(context.Get(WsUrl), "--ws-url", websocket: true),
            DataSilenceTimeout = Seconds(context.Get(SilenceTimeout), "--silence-timeout"),
            PingInterval = Seconds(context.Get(PingInterval), "--ping-interval") ?? TimeSpan.FromSeconds(20),
            RestInterval = context.Get(RestInterval) is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
            MaxEventTimeSkew = Seconds(context.Get(MaxEventTimeSkew), "--max-event-time-skew") ?? TimeSpan.FromDays(1),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }

        var service = new ExporterService(options, context.Vault, context.Time);
        await service.RunAsync(token);
        return ExitCodes.Ok;
    }

    private static Uri? Url(string? text, string name, bool websocket)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) ||
            (websocket ? uri.Scheme is not ("ws" or "wss") : uri.Scheme is not ("http" or "https")))
        {
            throw new UsageException($"{name}: '{text}' is not an absolute {(websocket ? "ws:// or wss://" : "http:// or https://")} URL");
        }

        return uri;
    }

    private static TimeSpan? Seconds(double? value, string name) => value switch
    {
        null => null,
        <= 0 => throw new UsageException($"{name} must be positive"),
        _ => TimeSpan.FromSeconds(value.Value),
    };
}
