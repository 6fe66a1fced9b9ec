using System.Diagnostics;

namespace Pipeline.Exporter.Tests.Service;

/// <summary>Bounded waits for an event (never a fixed sleep): polls the condition until it holds or the bound passes.</summary>
internal static class Waits
{
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan bound, string what, bool throwOnTimeout = true)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > bound)
            {
                return throwOnTimeout ? throw new TimeoutException($"waited {bound.TotalSeconds:F0} s for {what}") : false;
            }

            await Task.Delay(2);
        }

        return true;
    }
}
