using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Exporter.Trading;
using Pipeline.Jobs.Execution;
using Pipeline.Jobs.Execution.Ledger;
using Pipeline.Jobs.Execution.Risk;
using Pipeline.Jobs.Execution.Venue;
using Pipeline.Jobs.Strategies;
using Pipeline.Testing.Trading;
using Pipeline.Vault.Layout;
using static Pipeline.Jobs.Tests.Execution.EngineHarness;

namespace Pipeline.Jobs.Tests.Execution.Venue;

/// <summary>
/// A vault (raw trades and calculator minutes written by the test), a <see cref="ScriptedVenue"/> or any venue, a fake
/// clock, and a <see cref="VenueExecutor"/> over them that can be restarted (a new executor over the same vault and
/// venue). The strategy is EngineHarness's: bands 985–1015, so a close at 980 is a long signal at 980.
/// </summary>
internal sealed class VenueExecutorHarness : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private VenueExecutor? _executor;

    public VenueExecutorHarness(StrategyConfig? config = null, IOrderVenue? venue = null)
    {
        Vault = new VaultLayout(_dir.Path);
        Fixture = TestVault.Over(Vault);
        Config = config ?? CreateConfig() with { Risk = new RiskLimits { VolatilityHaltPct = null } };
        Venue = venue ?? new ScriptedVenue();
        Time = TestClock.At(T0);
    }

    public VaultLayout Vault { get; }
    public TestVault Fixture { get; }
    public StrategyConfig Config { get; }
    public IOrderVenue Venue { get; }
    public ScriptedVenue Scripted => (ScriptedVenue)Venue;
    public FakeTimeProvider Time { get; }
    public VenueExecutor Executor => _executor ?? throw new InvalidOperationException("not started");

    /// <summary>Long entry quantity at 980: 1000 USDT / 980.</summary>
    public static decimal Qty980 => ContractPnl.Quantity(1000m, 980m);

    public VenueExecutor Create(VenueExecutorOptions? options = null) =>
        _executor = new VenueExecutor(Vault, Config, Venue, Time, options ?? new VenueExecutorOptions { StartMinuteMs = Minute(0) });

    public async Task<VenueExecutor> StartAsync()
    {
        await Create().StartAsync(CancellationToken.None);
        return Executor;
    }

    /// <summary>A new executor over the same vault and venue (the old one disposed, as a restarted process).</summary>
    public async Task<VenueExecutor> RestartAsync()
    {
        await Executor.DisposeAsync();
        return await StartAsync();
    }

    public Task<VenueStepResult> StepAsync() => Executor.StepAsync(CancellationToken.None);

    public string IdOf(int minute, char leg, int attempt = 0) => ClientOrderIds.For(Config.Id, Minute(minute), leg, attempt);

    /// <summary>A trade at 12:0m:30 at 990 and minute m closing at <paramref name="close"/> (980: a long signal).</summary>
    public void Signal(int minute, decimal close = 980m)
    {
        Fixture.AppendTrade(At(minute, 30_000), 990m);
        Fixture.Minute(Minute(minute), close);
    }

    public void Trade(int minute, long ms, decimal px) => Fixture.AppendTrade(At(minute, ms), px);

    /// <summary>(orderId, event, kind, type, reason) of every line of orders.jsonl, in file order.</summary>
    public List<(string Id, string Event, string Kind, string Type, string Reason)> Orders() =>
        Json(Vault.LedgerOrders(Config.Id)).Select(r => (r.GetProperty("orderId").GetString()!, r.GetProperty("event").GetString()!,
            r.GetProperty("kind").GetString()!, r.GetProperty("type").GetString()!, r.GetProperty("reason").GetString()!)).ToList();

    public List<FillEvent> Fills() => LedgerReader.ReadFills(Vault, Config.Id);

    public List<JsonElement> Positions() => Json(Vault.LedgerPositions(Config.Id));

    /// <summary>(action, reason) of every decision written for the day of T0.</summary>
    public List<(string Action, string Reason)> Signals() =>
        Json(Vault.SignalsDay(Config.Id, Config.Exchange, Config.InstId, DateOnly.FromDateTime(DateTimeOffset.FromUnixTimeMilliseconds(T0).UtcDateTime)))
            .Select(r => (r.GetProperty("action").GetString()!, r.GetProperty("reason").GetString()!)).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_executor is not null)
        {
            await _executor.DisposeAsync();
        }

        await Venue.DisposeAsync();
        _dir.Dispose();
    }

    private static List<JsonElement> Json(string path) =>
        File.Exists(path)
            ? File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList()
            : [];
}
