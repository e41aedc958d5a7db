using System.CommandLine;
using System.Globalization;
using HdrKit.Imaging;
using HdrKit.Metrics;
using HdrKit.Util;

namespace HdrKit.Cli.Commands;

/// <summary>
/// `hdrkit probe MERGE.exr... (--preset NAME | --reference FRAME --box X0,X1,Y0,Y1)`: the ghosting proxy of
/// <see cref="ReferenceStructureProbe"/> for merges of real brackets, which have no ground truth.
/// </summary>
public static class ProbeCommand
{
    public static Command Create()
    {
        var merges = new Argument<string[]>("merges") { Description = "Merged HDR files (.exr/.hdr/...) of the same bracket, as written by `hdrkit merge -o`.", Arity = ArgumentArity.OneOrMore };
        var preset = new Option<string?>("--preset") { Description = "A built-in probe: " + string.Join(", ", ProbePreset.All.Select(p => $"{p.Name} ({p.What}, {p.Folder}/{p.ReferenceFile}, {p.Box})")) + "; frames are read from the team data folder." };
        var reference = new Option<string?>("--reference") { Description = "The reference frame (LDR image) the merge follows, instead of a preset's." };
        var box = new Option<string?>("--box") { Description = "Box x0,x1,y0,y1 in pixels, instead of a preset's." };
        var gamma = new Option<float>("--gamma") { Description = "Gamma that linearises the reference frame.", DefaultValueFactory = _ => 2.2f };
        var range = new Option<double>("--data-range") { Description = "SSIM data range of the standardised log-luminance.", DefaultValueFactory = _ => ReferenceStructureProbe.DataRange };
        var cmd = new Command("probe", "Score merges of a real bracket without ground truth: SSIM of the standardised log-luminance of the merge and the reference frame in a box.");
        cmd.Arguments.Add(merges);
        foreach (var o in new Option[] { preset, reference, box, gamma, range }) cmd.Options.Add(o);
        cmd.SetAction(parse => CliRunner.Guard(() =>
        {
            var p = parse.GetValue(preset) is { } name ? ProbePreset.Find(name) : null;
            var referencePath = parse.GetValue(reference) ?? (p == null ? null
                : DataFolder.Find(p.Folder.Split('/').Append(p.ReferenceFile).ToArray())
                  ?? throw new UserInputException($"probe {p.Name}: {p.Folder}/{p.ReferenceFile} not found in the team data folder; pass --reference"));
            var region = parse.GetValue(box) is { } b ? ParseBox(b) : p?.Box;
            if (referencePath == null || region == null) throw new UserInputException("give --preset NAME, or --reference FRAME and --box x0,x1,y0,y1");
            var frame = LdrImageFile.Read(referencePath).Pixels;
            Console.WriteLine($"probe {p?.Name ?? "custom"}: reference {referencePath}, box {region}");
            foreach (var file in parse.GetValue(merges)!)
            {
                double score = ReferenceStructureProbe.Score(HdrImageFile.Read(file), frame, region, parse.GetValue(gamma), parse.GetValue(range));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{file}: {score:F4}"));
            }
            return 0;
        }));
        return cmd;
    }

    private static ProbeBox ParseBox(string s)
    {
        var v = s.Split(',', StringSplitOptions.TrimEntries);
        if (v.Length != 4 || !v.All(t => int.TryParse(t, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)))
            throw new UserInputException($"--box must be x0,x1,y0,y1 in pixels, got '{s}'");
        var n = v.Select(t => int.Parse(t, CultureInfo.InvariantCulture)).ToArray();
        return new ProbeBox(n[0], n[1], n[2], n[3]);
    }
}
