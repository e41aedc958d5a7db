using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Inference;

// Merges one bracket with the package's default model (copied next to this program as models/default/).
if (args.Length != 2)
{
    Console.Error.WriteLine("usage: HdrKit.Sample BRACKET_FOLDER OUTPUT.exr   (e.g. ../workshop workshop.exr)");
    return 2;
}
var bracket = BracketFiles.Load([args[0]]).Bracket;
using var merger = BracketMerger.Create(new MergeOptions(), bracket.Count);
var merged = merger.Merge(bracket);
foreach (var note in merged.Notes) Console.WriteLine(note);
HdrImageFile.Write(args[1], merged.Radiance);
Console.WriteLine($"wrote {args[1]}: {bracket.Width}x{bracket.Height}, {merged.Method}, model folder {DefaultModel.Folder}");
return 0;
