using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Semantic.Tflite;
using HdrKit.Training;
using HdrKit.Weights;

namespace HdrKit.Fuzz;

/// <summary>
/// One fuzz target per reader. Each takes the bytes of one input file; readers that only read paths get them in
/// a scratch file named <c>input&lt;extension&gt;</c>. A target passes an input when the reader either returns or
/// throws its format error (<see cref="IsFormatError"/>); anything else escaping is a finding.
/// </summary>
public static class FuzzTargets
{
    /// <summary>A reader under test: its name (the corpus folder), the file extension it expects, and the call.</summary>
    public sealed record Target(string Name, string Extension, Action<byte[], string> Run);

    public static IReadOnlyList<Target> All { get; } =
    [
        new("exr", ".exr", (bytes, path) => OpenExr.Read(bytes, path)),
        new("hdr", ".hdr", (bytes, path) => RadianceHdr.Read(bytes, path)),
        new("pfm", ".pfm", (bytes, path) => Pfm.Read(bytes, path)),
        new("ldr", ".png", (bytes, path) => { Write(path, bytes); LdrImageFile.Read(path); }),
        new("tiff", ".tif", (bytes, path) => { Write(path, bytes); FloatTiff.Read(path); }),
        new("exif", ".jpg", (bytes, path) => { Write(path, bytes); ExifExposure.Read(path); }),
        new("safetensors", ".safetensors", (bytes, path) => { Write(path, bytes); DisposeAll(SafeTensors.Load(path).Values); }),
        new("pth", ".pth", (bytes, path) => { Write(path, bytes); DisposeAll(LoadPth(path)); }),
        new("tflite", ".tflite", (bytes, path) => { Write(path, bytes); TfliteModel.Load(path); }),
        new("exposure", ".txt", (bytes, path) => { Write(path, bytes); BracketFiles.ReadExposureFile(path, 3); }),
        new("yaml", ".yaml", (bytes, path) => TrainingConfig.Parse(System.Text.Encoding.UTF8.GetString(bytes), path).Validate(path)),
    ];

    public static Target Get(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"unknown fuzz target '{name}'; targets: {string.Join(", ", All.Select(t => t.Name))}");

    /// <summary>
    /// The one error a reader may throw on bad input: an <see cref="InvalidDataException"/> whose single-line
    /// message names the input.
    /// </summary>
    public static bool IsFormatError(Exception e, string path)
    {
        var name = Path.GetFileName(path);
        bool namesFile = e.Message.Contains(name, StringComparison.Ordinal);
        bool oneLine = !e.Message.Contains('\n');
        return namesFile && oneLine && e is InvalidDataException;
    }

    /// <summary>Runs one input; returns the unexpected exception, or null when the reader behaved.</summary>
    public static Exception? Check(Target target, byte[] input, string scratchFolder)
    {
        var path = Path.Combine(scratchFolder, "input" + target.Extension);
        try
        {
            target.Run(input, path);
            return null;
        }
        catch (Exception e) when (IsFormatError(e, path))
        {
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private static IEnumerable<TorchSharp.torch.Tensor> LoadPth(string path)
    {
        try { return PthImporter.Load(path).Values; }
        catch (ArgumentException e) when (e.GetType() == typeof(ArgumentException) && e.Message.Contains("--key", StringComparison.Ordinal))
        {
            return []; // several candidate weight sets: a valid checkpoint, not an error of the reader
        }
    }

    private static void Write(string path, byte[] bytes) => File.WriteAllBytes(path, bytes);

    private static void DisposeAll(IEnumerable<TorchSharp.torch.Tensor> tensors)
    {
        foreach (var t in tensors) t.Dispose();
    }
}
