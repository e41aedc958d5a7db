using System.CommandLine;
using HdrKit.Weights;

namespace HdrKit.Cli.Commands;

/// <summary>`hdrkit import-weights model.pth -o model.safetensors`: PyTorch checkpoint → safetensors, without Python.</summary>
public static class ImportWeightsCommand
{
    public static Command Create()
    {
        var input = new Argument<FileInfo>("checkpoint") { Description = "PyTorch checkpoint saved with torch.save (zip format, torch ≥ 1.6)." };
        var output = new Option<FileInfo>("--output", "-o") { Description = "The .safetensors file to write.", Required = true };
        var key = new Option<string?>("--key") { Description = "Which entry of a training checkpoint holds the weights (e.g. state_dict, params_ema; nested: a/b)." };
        var cmd = new Command("import-weights", "Convert a PyTorch .pth checkpoint into a safetensors file, reading only tensors (no Python code runs).")
        {
            input, output, key,
        };
        cmd.SetAction(parse => CliRunner.Guard(() =>
        {
            var src = parse.GetValue(input)!;
            var dst = parse.GetValue(output)!;
            var tensors = PthImporter.Load(src.FullName, parse.GetValue(key));
            try
            {
                var metadata = new Dictionary<string, string> { ["source"] = src.Name, ["format"] = "pt" };
                if (parse.GetValue(key) is { } k) metadata["source_key"] = k;
                SafeTensors.Save(dst.FullName, tensors, metadata);
                Console.WriteLine($"{dst.Name}: {tensors.Count} tensors, {tensors.Values.Sum(t => t.numel()):N0} values from {src.Name}");
            }
            finally
            {
                foreach (var t in tensors.Values) t.Dispose();
            }
            return 0;
        }));
        return cmd;
    }
}
