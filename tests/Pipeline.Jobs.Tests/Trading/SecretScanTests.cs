using System.Text;
using Pipeline.Testing.Secrets;

namespace Pipeline.Jobs.Tests.Trading;

/// <summary>The key-material scan the live process tests rely on: it must find a secret in each form a file or output could hold it.</summary>
public sealed class SecretScanTests : IDisposable
{
    private const string Secret = "7f3c9a0b1e2d4c5f6a7b8c9d0e1f2a3b";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("text")]
    [InlineData("hex")]
    [InlineData("HEX")]
    [InlineData("base64 at offset 0")]
    [InlineData("base64 at offset 1")]
    [InlineData("base64 at offset 2")]
    [InlineData("base64url")]
    [InlineData("base64 of the hex-decoded bytes")]
    public void Find_SecretInOneForm_FoundAndNamedWithoutItsValue(string form)
    {
        var bytes = Encoding.UTF8.GetBytes(Secret);
        var written = form switch
        {
            "text" => "{\"note\":\"" + Secret + "\"}",
            "hex" => "sig=" + Convert.ToHexStringLower(bytes),
            "HEX" => Convert.ToHexString(bytes),
            "base64 at offset 0" => Convert.ToBase64String(bytes),
            "base64 at offset 1" => Convert.ToBase64String([0x41, .. bytes, 0x42]),
            "base64 at offset 2" => "x " + Convert.ToBase64String([0x41, 0x42, .. bytes]),
            "base64url" => Convert.ToBase64String([0x41, .. bytes]).Replace('+', '-').Replace('/', '_'),
            _ => Convert.ToBase64String([0x00, .. Convert.FromHexString(Secret), 0x01]),
        };
        var nested = _dir.File("a", "b", "state.json");
        Directory.CreateDirectory(Path.GetDirectoryName(nested)!);
        File.WriteAllText(_dir.File("a", "clean.log"), "nothing here\n");
        File.WriteAllText(nested, written);

        var findings = SecretScan.Find(new Dictionary<string, string> { ["okx secret"] = Secret }, [_dir.Path]);

        var finding = Assert.Single(findings.Select(f => f[..f.IndexOf(": ", StringComparison.Ordinal)]).Distinct());
        Assert.Equal(nested, finding);
        Assert.All(findings, f => Assert.Contains("okx secret as ", f, StringComparison.Ordinal));
        Assert.All(findings, f => Assert.DoesNotContain(Secret, f, StringComparison.Ordinal));
    }

    [Fact]
    public void Find_SecretInCapturedOutputOnly_NamesTheOutput()
    {
        File.WriteAllText(_dir.File("clean.txt"), "no key here, only ****2a3b");

        var findings = SecretScan.Find(new Dictionary<string, string> { ["key"] = Secret }, [_dir.Path],
            new Dictionary<string, string> { ["stderr"] = "error: bad signature for " + Secret, ["stdout"] = "ok" });

        Assert.Equal(["stderr: key as text"], findings);
    }

    [Fact]
    public void Forms_ShortSecret_RefusedBecauseItWouldMatchByChance() =>
        Assert.Throws<ArgumentException>(() => SecretScan.Forms("pin", "1234"));
}
