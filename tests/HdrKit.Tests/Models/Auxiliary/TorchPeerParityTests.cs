using HdrKit.Losses;
using HdrKit.Models.Auxiliary;
using HdrKit.Tests.Imaging;
using HdrKit.Util;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Models.Auxiliary;

/// <summary>
/// The Prior Fusion Block and the colour loss against a small PyTorch re-implementation written here from the
/// paper's equations and Restormer's attention (Debian's python3-torch); skips when that peer is absent.
/// Tensors travel in a safetensors file that the script parses itself (no safetensors package there).
/// </summary>
public sealed class TorchPeerParityTests
{
    private const string ReadSafetensors = """
        import json, struct, sys, numpy as np, torch
        def load(path):
            raw = open(path, 'rb').read()
            n = struct.unpack('<Q', raw[:8])[0]
            header = json.loads(raw[8:8 + n]); data = raw[8 + n:]
            out = {}
            for k, v in header.items():
                if k == '__metadata__': continue
                a, b = v['data_offsets']
                out[k] = torch.from_numpy(np.frombuffer(data[a:b], dtype=np.float32).reshape(v['shape']).copy())
            return out
        t = load(sys.argv[1])
        """;

    private const string PriorFusionScript = ReadSafetensors + """

        import torch.nn.functional as F
        def ln(x, n):
            return F.layer_norm(x.permute(0, 2, 3, 1), (x.shape[1],), t[n + '.weight'], t[n + '.bias'], 1e-5).permute(0, 3, 1, 2)
        f, p = t['in.feature'], t['in.prior']
        b, c, h, w = f.shape
        heads = t['temperature'].shape[0]
        q = F.conv2d(F.conv2d(ln(p, 'norm_prior'), t['q.weight']), t['q_dw.weight'], padding=1, groups=c)
        kv = F.conv2d(F.conv2d(ln(f, 'norm_feature'), t['kv.weight']), t['kv_dw.weight'], padding=1, groups=2 * c)
        k, v = kv.chunk(2, dim=1)
        r = lambda x: x.reshape(b, heads, c // heads, h * w)
        q, k, v = F.normalize(r(q), dim=-1), F.normalize(r(k), dim=-1), r(v)
        attn = (q @ k.transpose(-2, -1) * t['temperature']).softmax(dim=-1)
        out = F.conv2d((attn @ v).reshape(b, c, h, w), t['project_out.weight']) + f
        print(' '.join(f'{x:.8g}' for x in out.flatten().tolist()))
        """;

    private const string ColourScript = ReadSafetensors + """

        bins, bw = int(sys.argv[2]), float(sys.argv[3])
        def hist(x, m):   # Eqs. 6-8 on masked images, kernels normalised over bins, per-segment densities
            c = (torch.arange(bins, dtype=torch.float32) + 0.5) / bins
            k = torch.exp(-(x.flatten(2).unsqueeze(-1) - c) ** 2 / bw ** 2)
            k = k / k.sum(-1, keepdim=True)
            return (k * m.flatten(1).unsqueeze(-1).unsqueeze(1)).sum(2) / m.sum()   # [B, C, N]
        s, te, masks = t['student'], t['teacher'], t['masks']
        losses = []
        for i in range(masks.shape[1]):
            m = masks[:, i]
            if m.sum() == 0: continue
            losses.append(((hist(s, m) - hist(te, m)) ** 2).sum(-1).mean())   # Eq. 9
        print(f'{torch.stack(losses).mean().item():.10g}')                     # Eq. 10
        """;

    [Fact]
    public void PriorFusionBlockMatchesPyTorch()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(81);
        using var pfb = new PriorFusionBlock(8, 2);
        using (torch.no_grad())
            foreach (var prm in pfb.parameters()) prm.copy_(torch.randn(prm.shape, generator: g) * Scalars.Of(0.5));
        var tensors = pfb.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value);
        tensors["in.feature"] = torch.randn([2, 8, 5, 6], generator: g);
        tensors["in.prior"] = torch.randn([2, 8, 5, 6], generator: g);
        using var dir = new TestData.TempDir();
        SafeTensors.Save(dir.File("pfb.safetensors"), tensors);
        var peer = PeerTools.Floats(PeerTools.PythonTorch(PriorFusionScript, dir.File("pfb.safetensors")));
        using var _ = torch.no_grad();
        var ours = pfb.forward(tensors["in.feature"], tensors["in.prior"]);
        TensorAssert.Close(torch.tensor(peer, ours.shape), ours, 1e-5, "PFB vs PyTorch");
    }

    [Fact]
    public void ColourLossMatchesPyTorch()
    {
        using var scope = torch.NewDisposeScope();
        var g = new Generator(82);
        var ids = torch.randint(0, 4, [1, 12, 10], generator: g);
        var masks = nn.functional.one_hot(ids, 5).permute(0, 3, 1, 2).to(ScalarType.Float32).contiguous();  // id 4 stays empty
        var tensors = new Dictionary<string, Tensor>
        {
            ["student"] = torch.rand([1, 3, 12, 10], generator: g),
            ["teacher"] = torch.rand([1, 3, 12, 10], generator: g),
            ["masks"] = masks,
        };
        using var dir = new TestData.TempDir();
        SafeTensors.Save(dir.File("color.safetensors"), tensors);
        var options = new KdeHistogramOptions(Bins: 16, Bandwidth: 0.05f);
        var peer = PeerTools.Floats(PeerTools.PythonTorch(ColourScript, dir.File("color.safetensors"), "16", "0.05"))[0];
        var ours = new SemanticHistogramLoss(options).Compute(tensors["student"], tensors["teacher"], masks).item<float>();
        Assert.True(peer > 0);
        Assert.Equal(peer, ours, peer * 1e-4);
    }
}
