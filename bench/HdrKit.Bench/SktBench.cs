using HdrKit.Util;
using System.Diagnostics;
using HdrKit.Exposure;
using HdrKit.Losses;
using HdrKit.Models;
using HdrKit.Models.Auxiliary;
using HdrKit.Semantic;
using TorchSharp;
using static TorchSharp.torch;
using static HdrKit.Bench.BenchOptions;

namespace HdrKit.Bench;

/// <summary>
/// Training cost per step of the knowledge-transfer components around a zoo model, on random tensors (no data
/// loading): the plain ORM step (μ-law L1, Adam) against the boosted step (ORM + SPGRM + L_spg + L_content
/// with VGG when ../shared has it + L_color over one-hot segments + one SKAM per ORM feature tap, Adam over all),
/// with the priors either cached (given tensors) or computed per step by the DeepLab backend on T(H_in).
/// Per-step segment maps (Felzenszwalb) are not included in either boosted row. With `--exported PLAIN BOOSTED`
/// it times inference instead: the plain and the boosted run's exported weights in the same zoo model, alternated.
/// </summary>
public static class SktBench
{
    public const string Help = "knowledge-transfer step cost: plain vs boosted ORM [--model M] [--batch B] [--patch P] [--runs N] [--threads T] [--breakdown] | --exported PLAIN.safetensors BOOSTED.safetensors [--model M] [--batch B] [--patch P] [--runs N]";

    private static readonly int[] Strides = [2, 4, 8, 16];

    public static int Run(string[] args)
    {
        string model = BenchOptions.StringOption(args, "--model", "ahdrnet-small");
        int batch = IntOption(args, "--batch", 4), patch = IntOption(args, "--patch", 128), runs = IntOption(args, "--runs", 5), threads = IntOption(args, "--threads", 2);
        torch.set_num_threads(threads);
        torch.manual_seed(1);
        int exported = Array.IndexOf(args, "--exported");
        if (exported >= 0)
        {
            if (exported + 2 >= args.Length) throw new ArgumentException("--exported needs two .safetensors files (plain, boosted)");
            return Inference(model, args[exported + 1], args[exported + 2], batch, patch, runs, threads);
        }

        using var orm = ModelRegistry.Create(model);
        using var spgrm = new Spgrm();
        var taps = orm.FeatureInfo.Take(spgrm.Config.Modules).ToArray();
        var skams = taps.Select(t => new Skam(t.Channels, spgrm.Config.Width, spgrm.Config.Width)).ToArray();
        var vggPath = TeamDataFolder.Path("models", "vgg19-keras-block1-3");
        using var vgg = vggPath is null ? null : Vgg19Weights.FromTfjs(vggPath);
        using var content = SelfDistillation.ContentLoss(vgg);
        var colour = new SemanticHistogramLoss();
        var feat = new SkamLoss();
        using var backend = TeamDataFolder.Path("models", "deeplabv3-mnv2-voc", "deeplabv3_257_mv_gpu.tflite") is null ? null : DeepLabV3Backend.FromShared();

        var x = torch.rand([batch, 3, 6, patch, patch]);
        var gt = torch.rand(batch, 3, patch, patch) * Scalars.Of(0.5);
        var cached = Strides.Select((s, i) => torch.randn(batch, spgrm.Config.Priors[i], (patch + s - 1) / s, (patch + s - 1) / s)).ToArray();
        var ids = torch.randint(0, 16, [batch, patch, patch]);
        var masks = nn.functional.one_hot(ids, 16).permute(0, 3, 1, 2).to(ScalarType.Float32).contiguous();

        var plainOpt = optim.Adam(orm.parameters(), 2e-4);
        var boostedParams = orm.parameters().Concat(spgrm.parameters()).Concat(skams.SelectMany(s => s.parameters())).ToArray();
        var boostedOpt = optim.Adam(boostedParams, 2e-4);

        void Plain()
        {
            using var scope = torch.NewDisposeScope();
            plainOpt.zero_grad();
            WeightedL1.Mean(MuLaw.Apply(orm.forward(x)), MuLaw.Apply(gt), null).backward();
            plainOpt.step();
        }

        void Boosted(bool perStepPriors)
        {
            using var scope = torch.NewDisposeScope();
            boostedOpt.zero_grad();
            var f = orm.ForwardWithFeatures(x);
            var hs = MuLaw.Apply(f.Output);
            var priors = perStepPriors ? BackendPriors(backend!, hs, patch) : cached;
            var r = spgrm.forward(hs, priors);
            var loss = WeightedL1.Mean(hs, MuLaw.Apply(gt), null)
                + SelfDistillation.RefinerLoss(r.Output, gt)
                + content.Compute(new LossInputs(f.Output, SelfDistillation.TeacherTarget(r.Output))).Total * Scalars.Of(1e-3)
                + colour.Compute(hs, r.Output, masks) * Scalars.Of(100);
            for (int k = 0; k < taps.Length; k++)
                loss = loss + feat.Compute(skams[k], f.Features[taps[k].Name], r.Features[spgrm.Config.StageForTap(k, taps.Length)]);
            loss.backward();
            boostedOpt.step();
        }

        // Each extra term alone, forward + backward from a leaf standing in for the ORM's output and taps.
        var hin = (torch.rand([batch, 3, patch, patch]) * Scalars.Of(0.5)).requires_grad_();
        var tapLeaves = taps.Select(t => torch.randn([batch, t.Channels, patch / t.Reduction, patch / t.Reduction]).requires_grad_()).ToArray();
        void Part(Func<Tensor> loss)
        {
            using var scope = torch.NewDisposeScope();
            boostedOpt.zero_grad();
            loss().backward();
        }
        Tensor Refined() { using (torch.no_grad()) return spgrm.forward(MuLaw.Apply(hin), cached).Output; }

        var rows = new List<(string Name, (double Median, double Min) T)> { ("plain ORM (μ-law L1)", Time(runs, Plain)) };
        rows.Add(("boosted, cached priors", Time(runs, () => Boosted(false))));
        if (backend is not null) rows.Add(("boosted, DeepLab priors of T(H_in) per step", Time(runs, () => Boosted(true))));
        if (args.Contains("--breakdown"))
        {
            rows.Add(("  SPGRM + L_spg alone", Time(runs, () => Part(() => SelfDistillation.RefinerLoss(spgrm.forward(MuLaw.Apply(hin), cached).Output, gt)))));
            rows.Add(("  L_content alone (pixel + VGG)", Time(runs, () => { var t = Refined(); Part(() => content.Compute(new LossInputs(hin, SelfDistillation.TeacherTarget(t))).Total); })));
            rows.Add(("  L_color alone (16 segments)", Time(runs, () => { var t = Refined(); Part(() => colour.Compute(MuLaw.Apply(hin), t, masks)); })));
            rows.Add(("  L_feat alone (all taps)", Time(runs, () =>
            {
                Tensor[] teachers;
                using (torch.no_grad()) teachers = spgrm.forward(MuLaw.Apply(hin), cached).Features.ToArray();
                Part(() => taps.Select((t, k) => feat.Compute(skams[k], tapLeaves[k], teachers[spgrm.Config.StageForTap(k, taps.Length)])).Aggregate((a, b) => a + b));
            })));
            if (backend is not null) rows.Add(("  DeepLab backend alone (no_grad)", Time(runs, () => { using var scope = torch.NewDisposeScope(); BackendPriors(backend, MuLaw.Apply(hin), patch); })));
        }

        long Count(IEnumerable<Tensor> ps) => ps.Sum(p => p.numel());
        Console.WriteLine($"{model}, batch {batch}×{patch}², torch threads {threads}, {runs} runs after 1 warm-up; VGG {(vgg is null ? "absent" : "on")}; "
            + $"params ORM {Count(orm.parameters())}, SPGRM {Count(spgrm.parameters())}, SKAM {Count(skams.SelectMany(s => s.parameters()))} ({taps.Length} taps: {string.Join(", ", taps.Select(t => t.Name))})");
        Console.WriteLine("| step | median s | min s | × plain |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, t) in rows) Console.WriteLine($"| {name} | {t.Median:F3} | {t.Min:F3} | {t.Median / rows[0].T.Median:F2} |");
        foreach (var s in skams) s.Dispose();
        return 0;
    }

    /// <summary>
    /// Forward time (no_grad) of the plain and the boosted run's exported weights, each loaded strictly into its own
    /// instance of the zoo model, timed alternately so both see the same machine load.
    /// </summary>
    private static int Inference(string model, string plainPath, string boostedPath, int batch, int patch, int runs, int threads)
    {
        var files = new[] { plainPath, boostedPath };
        var nets = files.Select(f => { var net = ModelRegistry.CreateWithWeights(model, f); net.eval(); return net; }).ToArray();
        try
        {
            using var x = torch.rand([batch, 3, 6, patch, patch]);
            void Forward(HdrNetwork net) { using var scope = torch.NewDisposeScope(); using var _ = torch.no_grad(); net.forward(x); }
            foreach (var net in nets) Forward(net);
            var seconds = files.Select(_ => new double[runs]).ToArray();
            for (int i = 0; i < runs; i++)
                for (int k = 0; k < nets.Length; k++)
                {
                    var sw = Stopwatch.StartNew();
                    Forward(nets[k]);
                    seconds[k][i] = sw.Elapsed.TotalSeconds;
                }
            Console.WriteLine($"{model} inference, batch {batch}×{patch}², torch threads {threads}, {runs} alternated runs after 1 warm-up each");
            Console.WriteLine("| weights | parameters | median s | min s | × plain |");
            Console.WriteLine("|---|---:|---:|---:|---:|");
            var medians = seconds.Select(s => s.Order().ElementAt(runs / 2)).ToArray();
            for (int k = 0; k < nets.Length; k++)
                Console.WriteLine($"| {(k == 0 ? "plain" : "boosted")} {Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(files[k])))} | {nets[k].ParameterCount():N0} | {medians[k]:F3} | {seconds[k].Min():F3} | {medians[k] / medians[0]:F2} |");
            return 0;
        }
        finally { foreach (var net in nets) net.Dispose(); }
    }

    /// <summary>The backend's four levels resampled to ⌈P/s⌉, as the SKB resamples them to the image grid.</summary>
    private static Tensor[] BackendPriors(ISemanticBackend backend, Tensor tonemapped, int patch)
    {
        using var raw = backend.Forward(tonemapped.detach().clamp(Scalars.Of(0), Scalars.Of(1)));
        return raw.Features.Select((f, i) => nn.functional.interpolate(f, [(patch + Strides[i] - 1) / Strides[i], (patch + Strides[i] - 1) / Strides[i]],
            mode: InterpolationMode.Bilinear, align_corners: true)).ToArray();
    }
}
