using HdrKit.Data;

namespace HdrKit.Tests.Data;

/// <summary>The library's procedural radiance maps, so simulator tests need no files.</summary>
internal static class SyntheticMaps
{
    public static RadianceMap Make(string name, int seed, int width = 128, int height = 64) => ProceduralMaps.Make(name, seed, width, height);

    public static RadianceMap[] Corpus() => ProceduralMaps.Corpus();
}
