using Microsoft.Extensions.DependencyInjection;
using Pipeline.Calculators.Records;
using Pipeline.Calculators.Runner;
using Pipeline.Jobs.Config;
using Pipeline.Jobs.Hosting;

namespace Pipeline.Jobs.Tests.Calc;

/// <summary>The host's calculator pass (what the calculators job runs) takes its settings from the configuration.</summary>
public sealed class CalculatorPassTests : IDisposable
{
    private static readonly DateOnly Day = TestVault.Day1;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task HostCalculatorPass_VpinBucketInConfig_ReachesTheVpinOutput()
    {
        using var v = MicroVault();
        var file = _dir.File("pipeline.yaml");
        await File.WriteAllTextAsync(file, $"""
            vault: {v.Layout.Root}
            exchanges:
              okx:
                enabled: false
              binance:
                enabled: false
            calculators:
              vpinBucket: 2.5
              vpinBuckets: 7
            """);
        var config = PipelineConfigLoader.Load(file, new Dictionary<string, string>(), [], _dir.Path);
        using var host = PipelineHost.Build(config, HostMode.Schedule, HostComposition.AddPipelineServices);

        var result = await host.Services.GetRequiredService<ICalculatorPass>().RunAsync(CancellationToken.None);

        Assert.Equal((1, 0), (result.Instruments, result.FailedInstruments));
        var vpin = v.Lines("vpin", Day);
        Assert.Equal(1440, vpin.Length);
        using var expected = MicroVault();
        expected.Calc(new CalcOptions { VpinBucketVolume = 2.5m, VpinBuckets = 7 });
        Assert.Equal(expected.Lines("vpin", Day), vpin);
        using var defaults = MicroVault();
        defaults.Calc();
        Assert.NotEqual(defaults.Lines("vpin", Day)[^1], vpin[^1]); // 2.5-unit buckets: four times as many as the default 10
    }

    private static TestVault MicroVault()
    {
        var v = TestVault.Create();
        MicroDay.Write(v, Day, minutes: 120);
        v.Watermark(MinuteTime.DayEnd(Day) + 5_000);
        return v;
    }
}
