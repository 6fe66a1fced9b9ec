using Pipeline.Simulator.Faults;

namespace Pipeline.Simulator.Trading;

/// <summary>Dice for the private faults (from the spec, seeded) plus faults a test armed for the next occasion; thread-safe.</summary>
public sealed class PrivateFaults(FaultSpec spec, int seed)
{
    private readonly Random _random = new(seed);
    private readonly Dictionary<PrivateFault, int> _armed = [];
    private readonly List<PrivateFault> _applied = [];
    private readonly Lock _gate = new();
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _holding;

    /// <summary>Makes the next occasion of <paramref name="fault"/> apply it, whatever the dice say.</summary>
    public void Arm(PrivateFault fault)
    {
        lock (_gate)
        {
            _armed[fault] = _armed.GetValueOrDefault(fault) + 1;
        }
    }

    /// <summary>Every fault applied so far, in order.</summary>
    public IReadOnlyList<PrivateFault> Applied
    {
        get
        {
            lock (_gate)
            {
                return [.. _applied];
            }
        }
    }

    /// <summary>Whether this occasion of <paramref name="fault"/> applies it (an armed one first, else the spec's probability).</summary>
    public bool Take(PrivateFault fault)
    {
        var p = fault switch
        {
            PrivateFault.Reject => spec.OrderReject,
            PrivateFault.PartialFill => spec.PartialFill,
            PrivateFault.DropUserStream => spec.UserDrop,
            PrivateFault.EventLost => spec.EventLost,
            PrivateFault.AckLost => spec.AckLost,
            PrivateFault.AckHold => spec.AckHold,
            _ => 0,
        };
        lock (_gate)
        {
            var hit = false;
            if (_armed.GetValueOrDefault(fault) > 0)
            {
                _armed[fault]--;
                hit = true;
            }
#pragma warning disable CA5394 // fault dice, not security
            else if (p > 0 && _random.NextDouble() < p)
#pragma warning restore CA5394
            {
                hit = true;
            }

            if (hit)
            {
                _applied.Add(fault);
            }

            return hit;
        }
    }

    /// <summary>REST replies withheld right now by <see cref="PrivateFault.AckHold"/> (their clients are still connected).</summary>
    public int Holding => Volatile.Read(ref _holding);

    /// <summary>
    /// The <see cref="PrivateFault.AckHold"/> occasion of an accepted order: when it applies, waits until the client goes away
    /// (<paramref name="requestAborted"/>) or the simulator stops (<see cref="ReleaseHeld"/>) and returns true: the handler
    /// then aborts the connection without an answer. False (at once) when the fault does not apply.
    /// </summary>
    public async Task<bool> HoldAckAsync(CancellationToken requestAborted)
    {
        if (!Take(PrivateFault.AckHold))
        {
            return false;
        }

        Interlocked.Increment(ref _holding);
        try
        {
            await _released.Task.WaitAsync(requestAborted);
        }
        catch (OperationCanceledException) when (requestAborted.IsCancellationRequested)
        {
            // the client disconnected: exactly what the hold waits for
        }
        finally
        {
            Interlocked.Decrement(ref _holding);
        }

        return true;
    }

    /// <summary>Ends every held reply (the simulator is stopping: the server must not wait for those clients).</summary>
    public void ReleaseHeld() => _released.TrySetResult();
}
