using System.Diagnostics;

namespace Pipeline.Testing;

/// <summary>Bounded waits for an event (never a fixed sleep): polls the condition until it holds or the bound passes.</summary>
public static class Waits
{
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan bound, string what, bool throwOnTimeout = true)
    {
        var clock = Stopwatch.StartNew();
        for (var spins = 0; !condition(); spins++)
        {
            if (clock.Elapsed > bound)
            {
                return throwOnTimeout ? throw new TimeoutException($"waited {bound.TotalSeconds:F0} s for {what}") : false;
            }

            // Most conditions hold after a thread-pool hop or two; sleep only when they do not.
            if (spins < 20)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1);
            }
        }

        return true;
    }
}
