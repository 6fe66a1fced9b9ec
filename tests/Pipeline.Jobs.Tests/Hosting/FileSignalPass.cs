using Pipeline.Jobs.Hosting;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>A signal pass that records which calculator run it followed (the newest calc line).</summary>
internal sealed class FileSignalPass(EventFile events) : ISignalPass
{
    public Task<SignalPassResult> RunAsync(CancellationToken cancellationToken)
    {
        var lastCalc = events.Lines().LastOrDefault(l => l.StartsWith("calc", StringComparison.Ordinal)) ?? "nothing";
        events.Append("signal after " + lastCalc);
        return Task.FromResult(new SignalPassResult(Strategies: 1, Signals: 1, Orders: 0));
    }
}
