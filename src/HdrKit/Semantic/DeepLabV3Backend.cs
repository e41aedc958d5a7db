using HdrKit.Util;
using System.Security.Cryptography;
using HdrKit.Models;
using HdrKit.Semantic.Tflite;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Semantic;

/// <summary>
/// DeepLabV3 with a MobileNetV2 (depth 0.5) backbone trained on PASCAL VOC (21 classes), executed from
/// TensorFlow's deeplabv3_257_mv_gpu.tflite by <see cref="TfliteGraph"/>. The graph has output stride 8
/// (atrous convolutions after 1/8), so the stride-16 feature is the ASPP projection average-pooled 2×2.
/// Inputs are resized to a working size of 8k+1 pixels per side (DeepLab's align-corners convention,
/// so feature corners sit on image corners), long side <see cref="WorkingSize"/>.
/// </summary>
public sealed class DeepLabV3Backend : ISemanticBackend
{
    /// <summary>Where the team's shared folder keeps the model; users pass their own path.</summary>
    public static readonly string[] SharedModelPath = ["models", "deeplabv3-mnv2-voc", "deeplabv3_257_mv_gpu.tflite"];

    private static readonly string[] VocClasses =
    [
        "background", "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
        "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train", "tvmonitor",
    ];

    // The last tensor computed at each resolution of the backbone (stride 2, 4, 8) and the ASPP output.
    private static readonly (string Tensor, string Name, int Reduction)[] Taps =
    [
        ("MobilenetV2/expanded_conv_1/expand/Relu6", "s2", 2),
        ("MobilenetV2/expanded_conv_3/expand/Relu6", "s4", 4),
        ("MobilenetV2/expanded_conv_16/project/BatchNorm/FusedBatchNorm", "s8", 8),
        ("concat_projection/Relu", "s16", 16),
    ];

    private readonly TfliteGraph _graph;

    public int WorkingSize { get; }
    public string Id { get; }
    public IReadOnlyList<FeatureInfo> FeatureInfo { get; }
    public IReadOnlyList<string>? ClassNames => VocClasses;

    /// <param name="modelPath">the .tflite file</param>
    /// <param name="workingSize">long side the network sees; 513 is DeepLab's evaluation size, 257 the export's</param>
    public DeepLabV3Backend(string modelPath, int workingSize = 513, Device? device = null)
    {
        if (workingSize < 65 || workingSize > 2049) throw new ArgumentException($"working size must be in [65, 2049], got {workingSize}");
        WorkingSize = workingSize;
        var model = TfliteModel.Load(modelPath);
        foreach (var (tensor, _, _) in Taps) model.Main.Tensor(tensor); // fails early, naming the tensor, for other graphs
        _graph = new TfliteGraph(model, "deeplabv3_mnv2");
        _graph.eval();
        if (device != null) _graph.to(device);
        var channels = Taps.Select(t => model.Main.Tensor(t.Tensor).Shape[^1]).ToArray();
        FeatureInfo = Taps.Select((t, i) => new FeatureInfo(t.Name, channels[i], t.Reduction)).ToArray();
        using var sha = SHA256.Create();
        using var fs = File.OpenRead(modelPath);
        Id = $"deeplabv3-mnv2-voc-{Convert.ToHexStringLower(sha.ComputeHash(fs))[..12]}-ws{workingSize}";
    }

    /// <summary>The backend on the model in the <see cref="DataFolder"/> (HDRKIT_DATA), or a clear error naming where it was looked for.</summary>
    public static DeepLabV3Backend FromShared(int workingSize = 513, Device? device = null)
    {
        var path = DataFolder.Find(SharedModelPath)
            ?? throw new FileNotFoundException($"the DeepLabV3 model was not found under ${DataFolder.EnvironmentVariable}/{string.Join('/', SharedModelPath)}; pass the .tflite path explicitly");
        return new DeepLabV3Backend(path, workingSize, device);
    }

    /// <summary>Working-resolution size for an H×W input: long side = WorkingSize, both sides of the form 8k+1.</summary>
    public (int H, int W) WorkingShape(int height, int width)
    {
        double scale = (WorkingSize - 1) / (double)(Math.Max(height, width) - 1);
        int Side(int s) => Math.Max(8 * (int)Math.Round((s - 1) * scale / 8), 8) + 1;
        return (Side(height), Side(width));
    }

    public SegmenterOutput Forward(Tensor rgb)
    {
        if (rgb.dim() != 4 || rgb.shape[1] != 3) throw new ArgumentException($"expected [B,3,H,W] RGB, got [{string.Join(",", rgb.shape)}]");
        using var noGrad = torch.no_grad();
        using var scope = torch.NewDisposeScope();
        var (h, w) = WorkingShape((int)rgb.shape[2], (int)rgb.shape[3]);
        var x = rgb.to(ScalarType.Float32);
        // Downscaling by up to ~4× for large photos: antialiased so fine texture does not alias into the net.
        if (x.shape[2] != h || x.shape[3] != w)
            x = F.interpolate(x, [h, w], mode: InterpolationMode.Bilinear, align_corners: false, antialias: true);
        x = x.clamp(Scalars.Of(0), Scalars.Of(1)) * Scalars.Of(2) - Scalars.Of(1); // the export's x/127.5 − 1 on 8-bit values
        var (outputs, taps) = _graph.Run(x, Taps.Select(t => t.Tensor).ToArray());
        var features = Taps.Select(t => taps[t.Tensor]).ToArray();
        features[3] = F.avg_pool2d(features[3], [2, 2], [2, 2], ceil_mode: true);
        var result = new SegmenterOutput(features.Select(f => f.MoveToOuterDisposeScope()).ToArray(), outputs[0].MoveToOuterDisposeScope());
        return result;
    }

    public void Dispose() => _graph.Dispose();
}
