using System.IO.Compression;
using System.Text;
using System.Text.Json;

namespace Pipeline.Exporter.Tests.Venues;

/// <summary>
/// The committed wire fixtures of each venue ({Venue}/Fixtures/*, copied next to the test assembly; sources in
/// the README there) and the checks the parser and simulator tests share: the JSON shape of a frame or page
/// (property names and value kinds) and archive zips built from fixture CSV text.
/// </summary>
internal static class WireFixtures
{
    public static byte[] Bytes(string venue, string name) =>
        File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, venue, "Fixtures", name));

    public static string Text(string venue, string name) => Encoding.UTF8.GetString(Bytes(venue, name));

    public static JsonElement Json(string venue, string name)
    {
        using var document = JsonDocument.Parse(Bytes(venue, name));
        return document.RootElement.Clone();
    }

    /// <summary>A zip holding one CSV entry with <paramref name="csv"/> (as the archives ship it).</summary>
    public static string Zip(TempDir dir, string csv)
    {
        ArgumentNullException.ThrowIfNull(dir);
        var path = dir.File(Guid.NewGuid().ToString("N") + ".zip");
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        using var writer = new StreamWriter(zip.CreateEntry("X.csv").Open(), new UTF8Encoding(false));
        writer.Write(csv);
        return path;
    }

    /// <summary>
    /// Asserts <paramref name="actual"/> has the shape of <paramref name="expected"/>: every property of the fixture
    /// with the same value kind (recursively; arrays by their first element). With <paramref name="exact"/> the
    /// actual object has no property the fixture lacks either (frames); without, it may carry more (trimmed
    /// fixtures of long instrument lists).
    /// </summary>
    public static void AssertSameShape(JsonElement expected, JsonElement actual, bool exact = true, string path = "$")
    {
        Assert.True(SameKind(expected.ValueKind, actual.ValueKind),
            $"{path}: the fixture has {expected.ValueKind}, the simulator sent {actual.ValueKind}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var names = new HashSet<string>(StringComparer.Ordinal);
                foreach (var property in expected.EnumerateObject())
                {
                    names.Add(property.Name);
                    Assert.True(actual.TryGetProperty(property.Name, out var value), $"{path}.{property.Name}: in the fixture, missing from the simulator's");
                    AssertSameShape(property.Value, value, exact, path + "." + property.Name);
                }

                if (exact)
                {
                    var extra = actual.EnumerateObject().Select(p => p.Name).Where(n => !names.Contains(n)).ToList();
                    Assert.True(extra.Count == 0, $"{path}: the simulator sends {string.Join(", ", extra)}, the fixture has no such property");
                }

                break;
            case JsonValueKind.Array when expected.GetArrayLength() > 0:
                Assert.True(actual.GetArrayLength() > 0, $"{path}: the fixture's array has rows, the simulator's is empty");
                AssertSameShape(expected[0], actual[0], exact, path + "[0]");
                break;
            default:
                break;
        }
    }

    private static bool SameKind(JsonValueKind expected, JsonValueKind actual) =>
        expected == actual || (expected is JsonValueKind.True or JsonValueKind.False && actual is JsonValueKind.True or JsonValueKind.False);
}
