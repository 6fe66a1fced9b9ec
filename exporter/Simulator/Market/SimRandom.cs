namespace Pipeline.Simulator.Market;

/// <summary>A small sequential generator (SplitMix64) for the inside of one block; a struct, so no allocation.</summary>
public struct SimRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double Unit() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform integer in [0, n).</summary>
    public int Below(int n) => (int)((Next() >> 33) * (ulong)n >> 31);

    public bool Chance(double p) => Unit() < p;

    /// <summary>Standard normal (Box-Muller; one value per call keeps the stream simple).</summary>
    public double Gaussian()
    {
        var u1 = 1.0 - Unit();
        var u2 = Unit();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
