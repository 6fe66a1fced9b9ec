using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Calculators.Runner;
using Pipeline.Exporter;
using Pipeline.Simulator;
using Pipeline.Vault.Layout;
using Pipeline.Vault.State;
using Pipeline.Vault.Trades;
using Pipeline.Vault.Verify;

namespace Pipeline.Jobs.Tests.Calc;

/// <summary>
/// Finality on a quiet instrument: the simulator's instrument trades, falls silent for five simulated
/// minutes (its pings still answered), then trades again. The scheduled calculators must keep emitting
/// minutes through the silence, and the trades after it must not be late. Simulator, exporter and
/// calculators share one fake clock, so the minutes pass at once.
/// </summary>
public sealed class QuietInstrumentCalcTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SilenceFrom = Start.AddMinutes(3);
    private static readonly TimeSpan Silence = TimeSpan.FromMinutes(5);
    private readonly TempDir _dir = new();
    private readonly VaultLayout _vault;

    public QuietInstrumentCalcTests() => _vault = new VaultLayout(_dir.File("vault"));

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("okx", "BTC-USDT-SWAP")]
    [InlineData("binance", "BTCUSDT")]
    public async Task Calc_QuietInstrumentFiveMinutes_MinutesFinalThroughTheSilenceAndNoLateTrade(string exchange, string instId)
    {
        var time = new FakeTimeProvider(Start);
        var truth = _dir.File("truth");
        await using var sim = await SimulatorHost.StartAsync(new SimulatorOptions
        {
            Instruments = [instId], Rate = 20, Seed = 11, Time = time, TruthDir = truth,
            Silences = [new SimSilence(instId, SilenceFrom, Silence)],
        });
        var service = new ExporterService(new ExporterOptions
        {
            Exchange = exchange, InstIds = [instId],
            OkxWsBusiness = sim.Endpoints.OkxWsBusiness, OkxRest = sim.Endpoints.OkxRest,
            BinanceWs = sim.Endpoints.BinanceWs, BinanceRest = sim.Endpoints.BinanceRest,
            RestInterval = TimeSpan.FromMilliseconds(20),
        }, _vault, time, new CollectingSink().Logger());
        using var stop = new CancellationTokenSource();
        var run = service.RunAsync(stop.Token);
        var calc = new CalcOptions { Time = time };
        var driver = new FakeClockDriver(time, sim, service) { Step = TimeSpan.FromMilliseconds(500) };

        // The scheduled calculator pass, every simulated 30 s; note the last final minute at each silent minute.
        var lastMinuteAt = new List<(DateTimeOffset At, long? LastMinute)>();
        var nextCalc = Start.AddSeconds(30);
        var nextSample = SilenceFrom.AddMinutes(1);
        await driver.RunUntilAsync(SilenceFrom + Silence + TimeSpan.FromMinutes(2), () =>
        {
            var now = time.GetUtcNow();
            if (now >= nextCalc)
            {
                CalculatorRunner.RunOnce(_vault, calc, exchange, instId, CancellationToken.None);
                nextCalc = nextCalc.AddSeconds(30);
            }

            if (now >= nextSample && now <= SilenceFrom + Silence)
            {
                lastMinuteAt.Add((now, CalculatorRunner.Status(_vault, exchange, instId).LastMinute));
                nextSample = nextSample.AddMinutes(1);
            }
        });
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        var final = CalculatorRunner.RunOnce(_vault, calc, exchange, instId, CancellationToken.None);

        Assert.Equal(0, service.Reconnects);
        Assert.Equal(5, lastMinuteAt.Count);
        foreach (var (at, lastMinute) in lastMinuteAt)
        {
            // Minute M is final once the watermark passes M+1m+2s. With a calc pass every 30 s, the watermark within
            // a ping interval (20 s) of the clock and the minute floor, the last final minute is at most ~3 minutes back;
            // a watermark stuck at the silence's start is 4 minutes back after its second minute.
            Assert.NotNull(lastMinute);
            var behind = at.ToUnixTimeMilliseconds() - lastMinute.Value;
            Assert.True(behind <= 200_000 || at < SilenceFrom.AddMinutes(2), $"at {at:HH:mm:ss} the last final minute is {DateTimeOffset.FromUnixTimeMilliseconds(lastMinute.Value):HH:mm:ss}");
        }

        Assert.Equal(0, final.LateTrades);
        Assert.Equal(0, CalculatorRunner.Status(_vault, exchange, instId).LateTrades);

        // The silent minutes are emitted as empty minutes, and the day holds the market exactly (content, not only ids).
        var day = DateOnly.FromDateTime(Start.UtcDateTime);
        var bars = File.ReadAllLines(_vault.DerivedDay("bars_1m", exchange, instId, day));
        var silent = bars.Where(l => InSilence(l)).ToList();
        Assert.Equal(5, silent.Count);
        Assert.All(silent, l => Assert.Contains("\"trades\":0", l, StringComparison.Ordinal));
        var watermark = new StateFile<ExporterState>(_vault.ExporterState(exchange, instId)).Read()!.WatermarkTs;
        var first = RawTradeFile.ReadAll(_vault.RawDayJsonl(exchange, instId, day))[0];
        var report = new RawVerifier(_vault).Verify(new VerifyOptions
        {
            Exchanges = [exchange], InstIds = [instId], FromTs = first.Ts, ToTs = watermark - 2_000, TruthDir = truth,
        });
        Assert.Equal(0, report.Missing);
        Assert.Equal(0, report.Duplicates);
        Assert.Equal(0, report.Extra);
    }

    private static bool InSilence(string barLine)
    {
        var at = barLine.IndexOf("\"minute\":\"", StringComparison.Ordinal) + 10;
        var minute = DateTimeOffset.Parse(barLine.AsSpan(at, 20), CultureInfo.InvariantCulture);
        return minute >= SilenceFrom && minute < SilenceFrom + Silence;
    }
}
