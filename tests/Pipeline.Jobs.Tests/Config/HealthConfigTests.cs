using System.Net;
using Pipeline.Jobs.Cli;
using Pipeline.Jobs.Config;

namespace Pipeline.Jobs.Tests.Config;

/// <summary>health.address and health.maxLagSeconds: where pipeline run serves /health and /metrics, and when it is ready.</summary>
public sealed class HealthConfigTests : ConfigFileTests
{
    [Fact]
    public void Load_Default_ListensOnLoopback9464()
    {
        var config = Load("vault: v\n");
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9464), config.Health.Address);
        Assert.Equal(TimeSpan.FromSeconds(120), config.Health.MaxLag);
    }

    [Theory]
    [InlineData("127.0.0.1:9100", "127.0.0.1", 9100)]
    [InlineData("localhost:9100", "127.0.0.1", 9100)]
    [InlineData("[::1]:9100", "::1", 9100)]
    [InlineData("0.0.0.0:9100", "0.0.0.0", 9100)]
    [InlineData("127.0.0.1:0", "127.0.0.1", 0)]
    public void Load_Address_IsParsed(string text, string ip, int port)
    {
        var config = Load($"health:\n  address: \"{text}\"\n");
        Assert.Equal(new IPEndPoint(IPAddress.Parse(ip), port), config.Health.Address);
    }

    [Fact]
    public void Load_Off_SwitchesTheEndpointsOff()
    {
        Assert.Null(Load("health:\n  address: off\n").Health.Address);
    }

    [Fact]
    public void Load_Environment_BeatsTheFile()
    {
        var config = Load("health:\n  address: 127.0.0.1:9100\n  maxLagSeconds: 30\n", new Dictionary<string, string>
        {
            ["PIPELINE_HEALTH__ADDRESS"] = "127.0.0.1:9200",
            ["PIPELINE_HEALTH__MAXLAGSECONDS"] = "45",
        });
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 9200), config.Health.Address);
        Assert.Equal(TimeSpan.FromSeconds(45), config.Health.MaxLag);
    }

    [Theory]
    [InlineData("9464")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("example.com:9464")]
    [InlineData("::1:9464")]
    [InlineData("on")]
    public void Load_BadAddress_IsAUsageErrorNamingTheKey(string text)
    {
        var ex = Assert.Throws<UsageException>(() => Load($"health:\n  address: \"{text}\"\n"));
        Assert.Contains("health.address", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"'{text}' is not an address to listen on", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("86401")]
    [InlineData("ten")]
    public void Load_BadMaxLag_IsAUsageErrorNamingTheKey(string text)
    {
        var ex = Assert.Throws<UsageException>(() => Load($"health:\n  maxLagSeconds: {text}\n"));
        Assert.Contains("health.maxLagSeconds", ex.Message, StringComparison.Ordinal);
    }
}
