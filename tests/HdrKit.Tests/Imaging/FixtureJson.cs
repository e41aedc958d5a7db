using System.Text.Json;

namespace HdrKit.Tests.Imaging;

/// <summary>Reads the sidecar files with expected values that the fixture scripts wrote next to their images.</summary>
internal static class FixtureJson
{
    public static JsonElement Load(string file, string key)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(TestData.Fixture("Imaging", file)));
        return doc.RootElement.GetProperty(key).Clone();
    }

    public static double[] Numbers(this JsonElement e, string property) =>
        e.GetProperty(property).EnumerateArray().Select(v => v.GetDouble()).ToArray();
}
