using Pipeline.Exporter.Trading;

namespace Pipeline.Exporter.Tests.Trading;

public sealed class SecretRedactorTests
{
    [Fact]
    public void Redact_RegisteredValue_MaskedEverywhere()
    {
        var secret = "s3cr3t-" + Guid.NewGuid().ToString("N");
        SecretRedactor.Register(secret);

        Assert.Equal("x=*** and again ***.", SecretRedactor.Redact($"x={secret} and again {secret}."));
        Assert.True(SecretRedactor.ContainsSecret("..." + secret));
    }

    [Fact]
    public void Redact_ValueContainingAnother_MaskedWhole()
    {
        var inner = "inner-" + Guid.NewGuid().ToString("N");
        var outer = inner + "-outer";
        SecretRedactor.Register(inner);
        SecretRedactor.Register(outer);

        Assert.Equal("[***]", SecretRedactor.Redact($"[{outer}]"));
    }

    [Fact]
    public void Register_ShortValue_NotMasked()
    {
        // A 5-character passphrase would otherwise turn every matching number in every log line into ***.
        SecretRedactor.Register("98765");

        Assert.Equal("price 98765.5", SecretRedactor.Redact("price 98765.5"));
    }

    [Fact]
    public void Redact_NoSecretInText_SameInstance()
    {
        var text = "nothing to see " + Guid.NewGuid();
        Assert.Same(text, SecretRedactor.Redact(text));
    }
}
