using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Models;
using HdrKit.Weights;

namespace HdrKit.Tests.Cli;

/// <summary>`hdrkit merge` with SMNet takes brackets of any length (issue 14): one model, 2, 3 or 5 frames.</summary>
[Collection("console")]
public sealed class SmNetMergeCommandTests : IDisposable
{
    private readonly TestData.TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private string[] WriteBracket(int exposures)
    {
        const int width = 32, height = 24;
        return Enumerable.Range(0, exposures).Select(i =>
        {
            double seconds = Math.Pow(2, 2 * i - 8);
            var frame = new FloatImage(width, height, 3);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < height; y++)
                    for (int x = 0; x < width; x++)
                        frame[c, y, x] = GammaResponse.ToLdr((float)Math.Pow(2, 8.0 * x / width - 2) * (1 + 0.1f * c), seconds);
            var path = _dir.File($"n{exposures}_{i}.png");
            LdrImageFile.Write(path, frame);
            return path;
        }).ToArray();
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    public void One_smnet_merges_brackets_of_two_three_and_five(int exposures)
    {
        var weights = _dir.File("smnet.safetensors");
        if (!File.Exists(weights))
        {
            TorchSharp.torch.manual_seed(1);
            using var net = ModelRegistry.Create("smnet-small");
            SafeTensors.Save(weights, StateDictLoader.ToDictionary(net));
        }
        var files = WriteBracket(exposures);
        var ev = string.Join(",", Enumerable.Range(0, exposures).Select(i => 2 * i - 8));
        var output = _dir.File($"out{exposures}.exr");
        var (exit, stdout, err) = CliHarness.Run(new[] { "merge" }.Concat(files)
            .Concat(new[] { "-o", output, "--ev", ev, "--model", "smnet-small", "--weights", weights }).ToArray());
        Assert.True(exit == 0, err);
        Assert.DoesNotContain("using images", err); // every frame was merged, none dropped
        var hdr = HdrImageFile.Read(output);
        Assert.Equal((32, 24), (hdr.Width, hdr.Height));
        Assert.Equal(-1, hdr.FindInvalidRadiance());
    }
}
