namespace HdrKit.Data;

/// <summary>
/// Derives independent seeds from a base seed and a path of integers (scene index, frame, purpose), so every
/// random draw has its own <see cref="Random"/> and results do not depend on the order or thread in which
/// scenes, frames or batches are produced. SplitMix64 finaliser: cheap and well mixed.
/// </summary>
public static class SeedMixer
{
    public static int Derive(long seed, params long[] path)
    {
        ulong h = Mix((ulong)seed ^ 0x9E3779B97F4A7C15UL);
        foreach (var p in path) h = Mix(h ^ Mix((ulong)p + 0x632BE59BD9B4E019UL));
        return (int)(h >> 33);
    }

    public static Random Create(long seed, params long[] path) => new(Derive(seed, path));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
