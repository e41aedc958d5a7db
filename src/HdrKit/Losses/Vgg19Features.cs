using HdrKit.Util;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Losses;

/// <summary>
/// Frozen VGG19 trunk up to the deepest layer asked for, tapping named activations ("conv1_1", "relu2_1", …).
/// Takes RGB in [0, 1] and applies the weights' own input normalisation, so callers never see Caffe's BGR.
/// Parameter names follow torchvision ("features.0.weight"), the layout of full VGG19 files users may have.
/// </summary>
public sealed class Vgg19Features : nn.Module<Tensor, Tensor>
{
    // Doubles, so a float64 trunk gets the exact mean (a float32 103.939 is off by 3e-6, amplified ~30× by relu2_1).
    private static readonly double[] CaffeMeanBgr = { 103.939, 116.779, 123.68 };
    private static readonly double[] TorchvisionMean = { 0.485, 0.456, 0.406 };
    private static readonly double[] TorchvisionStd = { 0.229, 0.224, 0.225 };

    private readonly Sequential features;
    private readonly List<(nn.Module<Tensor, Tensor> Op, string? Tap)> _ops = new();
    private readonly VggInputNorm _norm;
    private readonly string _deepest;

    /// <param name="weights">Loaded weights; copied, so the caller may dispose them afterwards.</param>
    /// <param name="layers">Layers the caller will tap; the trunk is built up to the deepest one.</param>
    public Vgg19Features(Vgg19Weights weights, IEnumerable<string> layers) : base(nameof(Vgg19Features))
    {
        var taps = layers.Select(Vgg19Layout.ParseTap).ToList();
        if (taps.Count == 0) throw new ArgumentException("no VGG19 layers requested");
        var deepest = taps.MaxBy(t => Vgg19Layout.Convs.ToList().IndexOf(t.Conv)).Conv;
        var available = weights.AvailableConvs;
        if (!available.Contains(deepest.Name))
            throw new ArgumentException(
                $"VGG19 layer {deepest.Name[4..]} needs {deepest.Name}, but {weights.Source} only holds {available.First()}…{available.Last()}; " +
                "point the loss at a full VGG19 file (safetensors with torchvision names) to use deeper layers");
        _norm = weights.InputNorm;
        _deepest = deepest.Name;

        var named = new List<(string, nn.Module<Tensor, Tensor>)>();
        foreach (var conv in Vgg19Layout.Convs)
        {
            var c = nn.Conv2d(conv.InChannels, conv.OutChannels, 3, padding: 1);
            named.Add((conv.TorchvisionIndex.ToString(), c));
            _ops.Add((c, conv.Name));
            var relu = nn.ReLU();
            named.Add(((conv.TorchvisionIndex + 1).ToString(), relu));
            _ops.Add((relu, "relu" + conv.Name[4..]));
            if (conv == deepest) break;
            if (Vgg19Layout.PoolsAfter(conv))
            {
                var pool = nn.MaxPool2d(2, 2);
                named.Add(((conv.TorchvisionIndex + 2).ToString(), pool));
                _ops.Add((pool, null));
            }
        }
        features = nn.Sequential(named);
        RegisterComponents();

        using (torch.no_grad())
        {
            foreach (var (name, p) in named_parameters())
                p.copy_(weights.Tensors[name]);
        }
        foreach (var p in parameters()) p.requires_grad = false;
        eval();
    }

    /// <summary>Layer names this instance can tap (every conv/relu up to the deepest requested).</summary>
    public IEnumerable<string> Layers => _ops.Where(o => o.Tap != null).Select(o => o.Tap!);

    /// <summary>The deepest built activation.</summary>
    public override Tensor forward(Tensor rgb) => Extract(rgb, [_ops.Last().Tap!])[_ops.Last().Tap!];

    /// <summary>Activations of <paramref name="layers"/> for an RGB [B, 3, H, W] input in [0, 1].</summary>
    public IReadOnlyDictionary<string, Tensor> Extract(Tensor rgb, IReadOnlyCollection<string> layers)
    {
        if (rgb.dim() != 4 || rgb.shape[1] != 3)
            throw new ArgumentException($"VGG19 expects RGB [B,3,H,W], got [{string.Join(",", rgb.shape)}]");
        var wanted = layers.Select(l => l.Trim().ToLowerInvariant()).ToHashSet();
        foreach (var l in wanted)
            if (!_ops.Any(o => o.Tap == l))
                throw new ArgumentException($"VGG19 layer '{l}' is not built in this extractor (deepest: relu{_deepest[4..]})");

        var result = new Dictionary<string, Tensor>();
        var x = Normalize(rgb);
        foreach (var (op, tap) in _ops)
        {
            x = op.call(x);
            if (tap != null && wanted.Contains(tap)) result[tap] = x;
            if (result.Count == wanted.Count) break;
        }
        return result;
    }

    private Tensor Normalize(Tensor rgb)
    {
        using var scope = torch.NewDisposeScope();
        Tensor y;
        if (_norm == VggInputNorm.Caffe)
        {
            var mean = torch.tensor(CaffeMeanBgr, new long[] { 1, 3, 1, 1 }).to(rgb.dtype).to(rgb.device);
            y = rgb.flip(1) * Scalars.Of(255.0) - mean; // RGB → BGR
        }
        else
        {
            var mean = torch.tensor(TorchvisionMean, new long[] { 1, 3, 1, 1 }).to(rgb.dtype).to(rgb.device);
            var std = torch.tensor(TorchvisionStd, new long[] { 1, 3, 1, 1 }).to(rgb.dtype).to(rgb.device);
            y = (rgb - mean) / std;
        }
        return y.MoveToOuterDisposeScope();
    }
}
