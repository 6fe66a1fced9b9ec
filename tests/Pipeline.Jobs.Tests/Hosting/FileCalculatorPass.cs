using Pipeline.Jobs.Hosting;

namespace Pipeline.Jobs.Tests.Hosting;

/// <summary>
/// A calculator pass that records each run in the event file ("calc 3 ok" / "calc 2 fail") and
/// throws on the runs listed in <paramref name="failOn"/>; on the runs in <paramref name="partialOn"/>
/// it returns a result with one failed instrument ("calc 2 partial"). Before a run that follows a success it
/// waits until the signal pass has recorded that success, so the chain's order is deterministic.
/// </summary>
internal sealed class FileCalculatorPass(EventFile events, int[] failOn, int[]? partialOn = null) : ICalculatorPass
{
    private int _runs;
    private int _succeeded;

    public async Task<CalcPassResult> RunAsync(CancellationToken cancellationToken)
    {
        var run = Interlocked.Increment(ref _runs);
        var expectedSignals = Volatile.Read(ref _succeeded);
        var signalled = await Waits.UntilAsync(PipelineProcess.Sampled(() =>
        {
            cancellationToken.ThrowIfCancellationRequested(); // a stopping host does not wait for the signal
            return events.Lines().Count(l => l.StartsWith("signal", StringComparison.Ordinal)) >= expectedSignals;
        }), TimeSpan.FromSeconds(30), "the signal after the previous successful run", throwOnTimeout: false);
        if (!signalled)
        {
            events.Append($"calc {run} found no signal after the previous successful run");
        }

        if (failOn.Contains(run))
        {
            events.Append($"calc {run} fail");
            throw new InvalidOperationException($"calculator run {run} fails on purpose");
        }

        if (partialOn?.Contains(run) == true)
        {
            events.Append($"calc {run} partial");
            return new CalcPassResult(Instruments: 2, Minutes: run, FailedInstruments: 1);
        }

        events.Append($"calc {run} ok");
        Interlocked.Increment(ref _succeeded);
        return new CalcPassResult(Instruments: 2, Minutes: run, FailedInstruments: 0);
    }
}
