using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Semantic.Tflite;

/// <summary>
/// Runs a float TFLite subgraph with TorchSharp ops, one TFLite operator at a time in file order. Activations
/// are NCHW; constants are converted once from TFLite's layouts (conv filters OHWI → OIHW, depthwise
/// 1·H·W·(C·m) → (C·m)·1·H·W, NHWC constants → NCHW) and registered as buffers under their TFLite names.
///
/// Exported graphs bake their trained input size into a few constants (resize targets, the image-pooling
/// window). To run any input size, those constants are read symbolically: a resize target or pool window
/// equal to the static spatial size of a tensor computed earlier is replaced by that tensor's actual size.
/// At the trained size this is the identity.
/// </summary>
public sealed class TfliteGraph : nn.Module<Tensor, Tensor>
{
    private readonly TfliteModel _model;
    private readonly TfliteSubgraph _graph;
    private readonly Dictionary<int, Tensor> _constants = new();

    /// <summary>Operators this interpreter executes (float32 kernels only).</summary>
    public static IReadOnlySet<TfliteBuiltinOperator> Supported { get; } = new HashSet<TfliteBuiltinOperator>
    {
        TfliteBuiltinOperator.Add, TfliteBuiltinOperator.Sub, TfliteBuiltinOperator.Mul,
        TfliteBuiltinOperator.AveragePool2D, TfliteBuiltinOperator.MaxPool2D, TfliteBuiltinOperator.Concatenation,
        TfliteBuiltinOperator.Conv2D, TfliteBuiltinOperator.DepthwiseConv2D, TfliteBuiltinOperator.ResizeBilinear,
        TfliteBuiltinOperator.Relu, TfliteBuiltinOperator.Relu6, TfliteBuiltinOperator.Logistic,
        TfliteBuiltinOperator.Mean, TfliteBuiltinOperator.Pad,
    };

    public TfliteModel Model => _model;
    public TfliteSubgraph Graph => _graph;

    public TfliteGraph(TfliteModel model, string name = "tflite") : base(name)
    {
        _model = model;
        _graph = model.Main;
        if (_graph.Inputs.Length != 1) throw new NotSupportedException($"{model.Path}: only single-input graphs are supported, this one has {_graph.Inputs.Length}");
        foreach (var op in _graph.Operators)
        {
            if (!Supported.Contains(op.Builtin))
                throw new NotSupportedException($"{model.Path}: operator {op.Index} is {op.OpName}, which HdrKit's TFLite interpreter does not implement");
            foreach (var i in op.Inputs)
                if (i >= 0 && model.HasData(_graph.Tensors[i]) && !_constants.ContainsKey(i))
                    _constants[i] = ConvertConstant(op, i);
        }
        foreach (var (i, t) in _constants)
            register_buffer(_graph.Tensors[i].Name.Replace('.', '_'), t);
    }

    private Tensor ConvertConstant(TfliteOperator op, int tensorIndex)
    {
        var t = _graph.Tensors[tensorIndex];
        var shape = t.Shape.Select(d => (long)d).ToArray();
        if (t.Type == TfliteTensorType.Int32) return torch.tensor(_model.Ints(t), shape, ScalarType.Int32);
        if (!t.Quantization.IsEmpty && t.Type != TfliteTensorType.Float32)
            throw new NotSupportedException($"{_model.Path}: tensor '{t.Name}' is quantised {t.Type}; only float models are supported");
        var v = torch.tensor(_model.Floats(t), shape, ScalarType.Float32);
        bool isFilter = op.Inputs.Length > 1 && op.Inputs[1] == tensorIndex;
        if (op.Builtin == TfliteBuiltinOperator.Conv2D && isFilter) return v.permute(0, 3, 1, 2).contiguous();
        if (op.Builtin == TfliteBuiltinOperator.DepthwiseConv2D && isFilter) return v.permute(3, 0, 1, 2).contiguous();
        return ToNchw(v);
    }

    /// <summary>NHWC constants of rank 4 become NCHW; per-channel vectors become [1,C,1,1] so they broadcast.</summary>
    private static Tensor ToNchw(Tensor v) => v.dim() switch
    {
        4 => v.permute(0, 3, 1, 2).contiguous(),
        1 when v.shape[0] > 1 => v.view(1, -1, 1, 1),
        _ => v,
    };

    public override Tensor forward(Tensor input) => Run(input).Outputs[0];

    /// <summary>
    /// Runs the graph on an NCHW input (the model's own normalisation already applied) and returns the graph
    /// outputs plus the tensors named in <paramref name="taps"/> (NCHW), all owned by the caller.
    /// </summary>
    public (Tensor[] Outputs, Dictionary<string, Tensor> Taps) Run(Tensor input, IReadOnlyCollection<string>? taps = null)
    {
        var inInfo = _graph.Tensors[_graph.Inputs[0]];
        if (input.dim() != 4 || input.shape[1] != inInfo.Shape[^1])
            throw new ArgumentException($"expected an NCHW input with {inInfo.Shape[^1]} channels, got [{string.Join(",", input.shape)}]");
        var tapIndex = new Dictionary<int, string>();
        foreach (var name in taps ?? [])
            tapIndex[_graph.Tensor(name).Index] = name;

        using var scope = torch.NewDisposeScope();
        var values = new Dictionary<int, Tensor> { [inInfo.Index] = input };
        var sizes = new Dictionary<(long, long), (long, long)> { [Spatial(inInfo)] = (input.shape[2], input.shape[3]) };
        foreach (var op in _graph.Operators)
        {
            Tensor Arg(int k) => op.Inputs[k] is var i && _constants.TryGetValue(i, out var c) ? c
                : values.TryGetValue(i, out var v) ? v
                : throw new InvalidDataException($"{_model.Path}: operator {op.Index} ({op.OpName}) reads tensor {i} before it is computed");
            var y = Execute(op, Arg, sizes);
            var outInfo = _graph.Tensors[op.Outputs[0]];
            values[outInfo.Index] = y;
            if (y.dim() == 4 && outInfo.Shape.Length == 4) sizes.TryAdd(Spatial(outInfo), (y.shape[2], y.shape[3]));
        }
        var outputs = _graph.Outputs.Select(i => values[i].MoveToOuterDisposeScope()).ToArray();
        var tapped = tapIndex.ToDictionary(kv => kv.Value, kv => values[kv.Key].MoveToOuterDisposeScope());
        return (outputs, tapped);
    }

    private static (long, long) Spatial(TfliteTensor t) => t.Shape.Length == 4 ? (t.Shape[1], t.Shape[2]) : (-1, -1);

    private Tensor Execute(TfliteOperator op, Func<int, Tensor> arg, Dictionary<(long, long), (long, long)> sizes)
    {
        switch (op.Builtin)
        {
            case TfliteBuiltinOperator.Conv2D:
            {
                var o = op.OptionsAs<TfliteOptions.Conv2D>();
                var w = arg(1);
                var x = PadSame(arg(0), o.Padding, w.shape[2], w.shape[3], o.StrideH, o.StrideW, o.DilationH, o.DilationW);
                var bias = op.Inputs.Length > 2 && op.Inputs[2] >= 0 ? arg(2).flatten() : null;
                var y = F.conv2d(x, w, bias, strides: [o.StrideH, o.StrideW], dilation: [o.DilationH, o.DilationW]);
                return Activate(y, o.Activation);
            }
            case TfliteBuiltinOperator.DepthwiseConv2D:
            {
                var o = op.OptionsAs<TfliteOptions.DepthwiseConv2D>();
                var w = arg(1);
                var x0 = arg(0);
                if (w.shape[0] != x0.shape[1] * Math.Max(o.DepthMultiplier, 1))
                    throw new InvalidDataException($"{_model.Path}: depthwise operator {op.Index} has {w.shape[0]} filters for {x0.shape[1]} channels × {o.DepthMultiplier}");
                var x = PadSame(x0, o.Padding, w.shape[2], w.shape[3], o.StrideH, o.StrideW, o.DilationH, o.DilationW);
                var bias = op.Inputs.Length > 2 && op.Inputs[2] >= 0 ? arg(2).flatten() : null;
                var y = F.conv2d(x, w, bias, strides: [o.StrideH, o.StrideW], dilation: [o.DilationH, o.DilationW], groups: x0.shape[1]);
                return Activate(y, o.Activation);
            }
            case TfliteBuiltinOperator.AveragePool2D:
            case TfliteBuiltinOperator.MaxPool2D:
            {
                var o = op.OptionsAs<TfliteOptions.Pool2D>();
                var x = arg(0);
                var inStatic = Spatial(_graph.Tensors[op.Inputs[0]]);
                long fh = o.FilterH, fw = o.FilterW;
                if ((fh, fw) == inStatic) (fh, fw) = (x.shape[2], x.shape[3]); // a global pool stays global at any size
                return Activate(Pool(x, op.Builtin == TfliteBuiltinOperator.MaxPool2D, o.Padding, fh, fw, o.StrideH, o.StrideW), o.Activation);
            }
            case TfliteBuiltinOperator.Concatenation:
            {
                var o = op.OptionsAs<TfliteOptions.Concatenation>();
                var parts = Enumerable.Range(0, op.Inputs.Length).Select(arg).ToArray();
                int rank = _graph.Tensors[op.Outputs[0]].Shape.Length;
                return Activate(torch.cat(parts, NchwAxis(o.Axis, rank)), o.Activation);
            }
            case TfliteBuiltinOperator.Add:
            case TfliteBuiltinOperator.Sub:
            case TfliteBuiltinOperator.Mul:
            {
                var act = (op.Options as TfliteOptions.Elementwise)?.Activation ?? TfliteActivation.None;
                var (a, b) = (arg(0), arg(1));
                var y = op.Builtin switch { TfliteBuiltinOperator.Add => a + b, TfliteBuiltinOperator.Sub => a - b, _ => a * b };
                return Activate(y, act);
            }
            case TfliteBuiltinOperator.ResizeBilinear:
            {
                var o = op.OptionsAs<TfliteOptions.ResizeBilinear>();
                var target = _model.Ints(_graph.Tensors[op.Inputs[1]]);
                var (h, w) = sizes.TryGetValue((target[0], target[1]), out var actual) ? actual : (target[0], target[1]);
                return TfliteResize.Bilinear(arg(0), (int)h, (int)w, o.AlignCorners, o.HalfPixelCenters);
            }
            case TfliteBuiltinOperator.Relu: return F.relu(arg(0));
            case TfliteBuiltinOperator.Relu6: return arg(0).clamp(Scalars.Of(0), Scalars.Of(6));
            case TfliteBuiltinOperator.Logistic: return arg(0).sigmoid();
            case TfliteBuiltinOperator.Mean:
            {
                bool keep = (op.Options as TfliteOptions.Reducer)?.KeepDims ?? false;
                int rank = _graph.Tensors[op.Inputs[0]].Shape.Length;
                var axes = _model.Ints(_graph.Tensors[op.Inputs[1]]).Select(a => (long)NchwAxis(a, rank)).ToArray();
                return arg(0).mean(axes, keep);
            }
            case TfliteBuiltinOperator.Pad:
            {
                // paddings: [rank, 2] in NHWC order; F.pad takes (last dim first) pairs in NCHW order.
                var p = _model.Ints(_graph.Tensors[op.Inputs[1]]);
                if (p.Length != 8 || p[0] != 0 || p[1] != 0 || p[6] != 0 || p[7] != 0)
                    throw new NotSupportedException($"{_model.Path}: PAD operator {op.Index} pads batch or channels, which is not supported");
                return F.pad(arg(0), [p[4], p[5], p[2], p[3]]);
            }
            default:
                throw new NotSupportedException($"{_model.Path}: operator {op.Index} is {op.OpName}, which is not implemented");
        }
    }

    /// <summary>NHWC axis → NCHW axis for rank-4 tensors (negative axes count from the end, as in TFLite).</summary>
    private static int NchwAxis(int axis, int rank)
    {
        if (axis < 0) axis += rank;
        return rank == 4 ? axis switch { 0 => 0, 1 => 2, 2 => 3, _ => 1 } : axis;
    }

    /// <summary>TFLite's SAME padding: output = ⌈in/stride⌉, the deficit split with the extra pixel at the bottom/right.</summary>
    public static (int Before, int After) SamePadding(long inSize, long kernel, int stride, int dilation)
    {
        long outSize = (inSize + stride - 1) / stride;
        long effective = (kernel - 1) * dilation + 1;
        long total = Math.Max((outSize - 1) * stride + effective - inSize, 0);
        return ((int)(total / 2), (int)(total - total / 2));
    }

    internal static Tensor PadSame(Tensor x, TflitePadding padding, long kh, long kw, int sh, int sw, int dh, int dw, double value = 0)
    {
        if (padding == TflitePadding.Valid) return x;
        var (top, bottom) = SamePadding(x.shape[2], kh, sh, dh);
        var (left, right) = SamePadding(x.shape[3], kw, sw, dw);
        return top + bottom + left + right == 0 ? x : F.pad(x, [left, right, top, bottom], value: value);
    }

    internal static Tensor Pool(Tensor x, bool max, TflitePadding padding, long fh, long fw, int sh, int sw)
    {
        if (max) return F.max_pool2d(PadSame(x, padding, fh, fw, sh, sw, 1, 1, double.NegativeInfinity), [fh, fw], [sh, sw]);
        // TFLite averages only over the pixels inside the image, so divide the window sum by the in-image count.
        var padded = PadSame(x, padding, fh, fw, sh, sw, 1, 1);
        var mean = F.avg_pool2d(padded, [fh, fw], [sh, sw]);
        if (padding == TflitePadding.Valid || padded.shape[2] == x.shape[2] && padded.shape[3] == x.shape[3]) return mean;
        var ones = PadSame(torch.ones(1, 1, x.shape[2], x.shape[3], dtype: x.dtype, device: x.device), padding, fh, fw, sh, sw, 1, 1);
        return mean / F.avg_pool2d(ones, [fh, fw], [sh, sw]);
    }

    private static Tensor Activate(Tensor y, TfliteActivation act) => act switch
    {
        TfliteActivation.None => y,
        TfliteActivation.Relu => F.relu(y),
        TfliteActivation.Relu6 => y.clamp(Scalars.Of(0), Scalars.Of(6)),
        TfliteActivation.ReluN1To1 => y.clamp(Scalars.Of(-1), Scalars.Of(1)),
        TfliteActivation.Tanh => y.tanh(),
        _ => throw new NotSupportedException($"fused activation {act} is not supported"),
    };
}
