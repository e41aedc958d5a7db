using HdrKit.Data;

namespace HdrKit.Tests.Data;

public class KalantariSceneTests
{
    [Fact]
    public void WrittenSceneReadsBackWithTheSameContent()
    {
        var options = new SimulatorOptions { Width = 40, Height = 24, Exposures = 3, Camera = CameraRanges.Kalantari };
        var scene = new BracketSimulator(SyntheticMaps.Corpus(), options).Simulate(1, 0);
        using var dir = new TestData.TempDir();
        var folder = Path.Combine(dir.Path, scene.Name);
        KalantariScene.Write(folder, scene);

        Assert.Equal(["-2", "0", "2"], File.ReadAllLines(Path.Combine(folder, "exposure.txt")));
        Assert.True(File.Exists(Path.Combine(folder, "HDRImg.hdr")));
        var back = KalantariScene.Read(folder);
        Assert.Equal(scene.Stops, back.Stops);
        Assert.Equal(1, back.ReferenceIndex);
        for (int f = 0; f < 3; f++)
            for (int i = 0; i < scene.Frames[f].Data.Length; i++)
                Assert.Equal(scene.Frames[f].Data[i], back.Frames[f].Data[i], 1e-6f); // 16-bit codes survive exactly
        for (int i = 0; i < scene.GroundTruth.Data.Length; i++)
        {
            float a = scene.GroundTruth.Data[i], b = back.GroundTruth.Data[i];
            Assert.True(Math.Abs(a - b) <= 0.01f * a + 1e-6f, $"GT sample {i}: {a} became {b}"); // RGBE: 8-bit mantissa
        }
        Assert.Equal(scene.Segments!.Labels, back.Segments!.Labels);
        Assert.Equal(scene.MotionMask!.Labels, back.MotionMask!.Labels);
        Assert.Equal(scene.Provenance, back.Provenance);
        Assert.Equal([folder], KalantariScene.FindScenes(folder));
        Assert.Equal([folder], KalantariScene.FindScenes(dir.Path));
    }

    [Fact]
    public void ExposureCountMismatchIsReportedWithTheFolderName()
    {
        var scene = new BracketSimulator(SyntheticMaps.Corpus(), new SimulatorOptions { Width = 16, Height = 16 }).Simulate(1, 0);
        using var dir = new TestData.TempDir();
        KalantariScene.Write(dir.Path, scene);
        File.WriteAllText(Path.Combine(dir.Path, "exposure.txt"), "0\n2\n");
        var e = Assert.Throws<InvalidDataException>(() => KalantariScene.Read(dir.Path));
        Assert.Contains("lists 2 exposures but the folder has 3 TIFFs", e.Message);
        File.WriteAllText(Path.Combine(dir.Path, "exposure.txt"), "0\nfast\n4\n");
        Assert.Contains("line 2", Assert.Throws<InvalidDataException>(() => KalantariScene.Read(dir.Path)).Message);
    }
}
