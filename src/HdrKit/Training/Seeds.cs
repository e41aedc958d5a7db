namespace HdrKit.Training;

/// <summary>
/// Deterministic seeds for System.Random derived from a run seed and a position (SplitMix64 mixing), so data
/// for (epoch, batch, sample) is the same in a resumed run without saving any generator state.
/// </summary>
public static class Seeds
{
    public static int Derive(long seed, params long[] position)
    {
        ulong h = Mix((ulong)seed);
        foreach (var p in position) h = Mix(h ^ Mix((ulong)p + 0x9E3779B97F4A7C15UL));
        return (int)(h >> 33);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
