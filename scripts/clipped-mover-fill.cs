#:project ../src/HdrKit/HdrKit.csproj
#:property RuntimeIdentifier=linux-x64
// How much of the true radiance a merge puts where the reference frame clips over a mover (docs/default-model.md,
// "clipped-mover fill"): over the pixels whose reference (input_02) is above 0.95 in any channel and whose
// motion_mask.png is set, Σ merge / Σ truth, both unclipped and in the truth's unit.
//   ./hdrkit eval SET --model M --outputs --out E        # writes E/<scene>.exr
//   dotnet run scripts/clipped-mover-fill.cs -- SET E scene0021 scene0010
using HdrKit.Imaging;

if (args.Length < 3)
{
    Console.Error.WriteLine("usage: clipped-mover-fill SET_DIR EVAL_OUT_DIR SCENE...");
    return 1;
}
foreach (var scene in args.Skip(2))
{
    var dir = Path.Combine(args[0], scene);
    var truth = HdrImageFile.Read(Path.Combine(dir, "HDRImg.hdr"));
    var merge = HdrImageFile.Read(FindOutput(args[1], scene));
    var reference = LdrImageFile.Read(Path.Combine(dir, "input_02.tif")).Pixels;
    var motion = LdrImageFile.Read(Path.Combine(dir, "motion_mask.png")).Pixels;
    double sumMerge = 0, sumTruth = 0;
    long pixels = 0;
    for (int y = 0; y < truth.Height; y++)
        for (int x = 0; x < truth.Width; x++)
        {
            bool clipped = Enumerable.Range(0, 3).Any(c => reference[c, y, x] > 0.95f);
            if (!clipped || motion[0, y, x] <= 0) continue;
            pixels++;
            for (int c = 0; c < 3; c++) { sumMerge += merge[c, y, x]; sumTruth += truth[c, y, x]; }
        }
    Console.WriteLine(pixels == 0 ? $"{scene}: no clipped moving pixels" : $"{scene}: fill {sumMerge / sumTruth:F3} over {pixels} px ({100.0 * pixels / truth.PixelCount:F1} %)");
}
return 0;

static string FindOutput(string evalDir, string scene) =>
    Directory.GetFiles(evalDir, $"{scene}*", SearchOption.AllDirectories).FirstOrDefault(f => HdrImageFile.IsSupported(f))
    ?? throw new FileNotFoundException($"no merged output for {scene} under {evalDir} (run eval with --outputs)");
