using Pipeline.Vault.Layout;
using Pipeline.Vault.State;

namespace Pipeline.Calculators.Runner;

/// <summary>
/// A calculator's state as it was at the start of each output day, next to its live state:
/// state/{calc}/{exchange}/perps/{instId}.days/{yyyy-MM-dd}.state.json. Recalc restarts from
/// the checkpoint of the first day it rebuilds, so it reproduces the live run byte for byte.
/// </summary>
public static class Checkpoints
{
    public static string Directory(VaultLayout layout, string calc, string exchange, string instId)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var live = layout.CalcState(calc, exchange, instId);
        return Path.Combine(Path.GetDirectoryName(live)!, VaultNames.InstId(instId) + ".days");
    }

    public static StateFile<T> File<T>(VaultLayout layout, string calc, string exchange, string instId, DateOnly day)
        where T : class =>
        new(Path.Combine(Directory(layout, calc, exchange, instId), VaultLayout.DayFileName(day, ".state.json")));

    /// <summary>The latest checkpoint day at or before <paramref name="day"/>, or null.</summary>
    public static DateOnly? AtOrBefore(VaultLayout layout, string calc, string exchange, string instId, DateOnly day)
    {
        var dir = Directory(layout, calc, exchange, instId);
        if (!System.IO.Directory.Exists(dir))
        {
            return null;
        }

        DateOnly? best = null;
        foreach (var file in System.IO.Directory.EnumerateFiles(dir, "*.state.json"))
        {
            var name = Path.GetFileName(file);
            if (DateOnly.TryParseExact(name[..^".state.json".Length], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out var d) && d <= day && (best is null || d > best))
            {
                best = d;
            }
        }

        return best;
    }

    /// <summary>Removes checkpoints after <paramref name="day"/> (they describe outputs being rebuilt).</summary>
    public static void RemoveAfter(VaultLayout layout, string calc, string exchange, string instId, DateOnly day)
    {
        var dir = Directory(layout, calc, exchange, instId);
        if (!System.IO.Directory.Exists(dir))
        {
            return;
        }

        foreach (var file in System.IO.Directory.EnumerateFiles(dir, "*.state.json"))
        {
            var name = Path.GetFileName(file);
            if (DateOnly.TryParseExact(name[..^".state.json".Length], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture,
                    System.Globalization.DateTimeStyles.None, out var d) && d > day)
            {
                System.IO.File.Delete(file);
            }
        }
    }
}
