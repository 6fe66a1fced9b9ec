namespace Pipeline.Exporter.Tests.Trading;

/// <summary>Fresh key/secret/passphrase values per test, so the process-wide redaction list never makes one test pass for another.</summary>
internal static class TestSecrets
{
    public static (string Key, string Secret, string Passphrase) New()
    {
        var id = Guid.NewGuid().ToString("N");
        return ("key" + id, "SECRET" + id, "Pass" + id[..10]);
    }
}
