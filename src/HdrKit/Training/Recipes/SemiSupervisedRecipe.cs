using HdrKit.Data;
using HdrKit.Inference;
using HdrKit.Losses;
using HdrKit.Models;
using HdrKit.Models.Auxiliary;
using HdrKit.Training.Components;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Recipes;

/// <summary>
/// Semi-supervised HDR with bi-level uncertainty masking (Jiang et al.; reference-notes §5), recipe `semi`.
/// The student is any zoo network (`model.name`) with a judge on one of its feature taps; the teacher is the
/// EMA of both. After a supervised warm-up the teacher is copied from the student, and at the start of every
/// epoch it predicts each unlabelled scene whole (its weak view: no augmentation) into a pseudo label, σ and
/// the bi-level keep-mask, cached per scene. A step cuts these onto the batch's patches with the sample's own
/// <see cref="PatchPlacement"/> (so the pseudo label is rotated, flipped and channel-permuted exactly as the
/// student's strong view), and trains on labelled rows with the configured loss + L^k and on unlabelled rows
/// with λ_u·(loss + L^k) restricted to the kept area. Student and judge have their own optimisers. Once the
/// teacher has started, each validation scores student and teacher and the better becomes the exported network
/// (issue 16; the paper does not say which it deploys); `export: student` keeps the student.
/// </summary>
public sealed class SemiSupervisedRecipe : TrainingRecipe
{
    public const string RegistryName = "semi";
    private const string CachePrefix = "pseudo.";
    private const string StudentName = "student", TeacherName = "teacher";
    private const string ExportStateKey = "export", MaskStateKey = "mask";

    private readonly JudgedNetwork _student;
    private readonly MeanTeacher<JudgedNetwork> _teacher;
    private readonly CompositeLoss _loss;
    private readonly NamedOptimizer _studentOptimizer, _judgeOptimizer;
    private readonly PseudoLabelCache _cache = new();
    private readonly long _seed;
    private readonly Device _device;
    /// <summary>True once the teacher was copied from the warmed-up student (before that it is a random network).</summary>
    private bool _teacherStarted;
    private bool _exportTeacher;
    /// <summary>The last refresh's σ range and kept share of the unlabelled scenes' pixels, logged with each step.</summary>
    private (double Low, double High, double Kept)? _maskStats;

    public SemiSupervisedOptions Options { get; }

    public SemiSupervisedRecipe(TrainingConfig config, Device device)
    {
        Options = SemiSupervisedOptions.From(config);
        _seed = config.Seed;
        _device = device;
        _student = new JudgedNetwork(config.Model.Build(), Options.FeatureTap, Options.JudgeHidden, config.Loss.Mu);
        var teacher = new JudgedNetwork(config.Model.Build(), Options.FeatureTap, Options.JudgeHidden, config.Loss.Mu);
        _student.to(device);
        teacher.to(device);
        _student.train();
        _teacher = new MeanTeacher<JudgedNetwork>(_student, teacher, Options.EmaAlpha);
        _loss = TrainingLosses.For(config, "student", device);
        _studentOptimizer = NamedOptimizer.Adam("student", _student.Network.named_parameters(), config.Optimizer);
        _judgeOptimizer = NamedOptimizer.Adam("judge", _student.Judge.named_parameters(), config.Optimizer, Options.JudgeLr);
        Modules = new Dictionary<string, nn.Module> { ["student"] = _student.Network, ["judge"] = _student.Judge, ["teacher"] = teacher };
        Optimizers = [_studentOptimizer, _judgeOptimizer];
    }

    public override string Name => RegistryName;
    public override IReadOnlyDictionary<string, nn.Module> Modules { get; }
    public override IReadOnlyList<NamedOptimizer> Optimizers { get; }
    public override HdrNetwork InferenceNetwork => ExportsTeacher ? _teacher.Teacher.Network : _student.Network;

    /// <summary>"student" or "teacher": the network the last validation chose (student until one chooses the teacher).</summary>
    public string Exported => ExportsTeacher ? TeacherName : StudentName;

    private bool ExportsTeacher => Options.ExportBetter && _exportTeacher;

    public override IReadOnlyDictionary<string, HdrNetwork> ExportCandidates =>
        Options.ExportBetter && _teacherStarted
            ? new Dictionary<string, HdrNetwork> { [StudentName] = _student.Network, [TeacherName] = _teacher.Teacher.Network }
            : new Dictionary<string, HdrNetwork>();

    public override string ChooseExport(IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>> means)
    {
        _exportTeacher = ExportChoice.Better(means, StudentName) == TeacherName;
        return Exported;
    }

    public JudgedNetwork Student => _student;
    public JudgedNetwork Teacher => _teacher.Teacher;
    public PseudoLabelCache Cache => _cache;

    public override void OnEpochBegin(EpochContext context)
    {
        if (context.Epoch < Options.WarmupEpochs) return;
        // The teacher starts from the warmed-up student, not from the random initialisation.
        if (context.Epoch == Options.WarmupEpochs) _teacher.Reset();
        _teacherStarted = true;
        var scenes = context.Scenes ?? throw new InvalidOperationException(
            "recipe semi refreshes pseudo labels per scene: it needs a finite scene source (kalantari, simulate, brackets), not an endless one");
        string? pictures = PictureFolder(context);
        var due = scenes.All().Where(s => !s.Labelled && _cache.NeedsRefresh(s.Id, context.Epoch)).ToList();
        RefreshScenes(due, context.Epoch, pictures == null ? null
            : due.Take(Options.PictureScenes).Select(s => s.Id).ToDictionary(id => id, id => Path.Combine(pictures, $"{id.Replace('/', '_')}.png")));
    }

    /// <summary>
    /// Where this epoch's pictures go: semi/epoch-NNN/ in the run folder, for the first semi-supervised epoch and
    /// every epoch that ends in a validation (the pseudo labels that epoch trained on); null otherwise.
    /// </summary>
    private string? PictureFolder(EpochContext context)
    {
        if (context.OutputFolder is not { } run || Options.PictureScenes == 0) return null;
        int every = context.Config.ValidateEvery, next = context.Epoch + 1;
        bool validated = every > 0 && (next % every == 0 || next == context.Config.Epochs);
        return validated || context.Epoch == Options.WarmupEpochs ? Path.Combine(run, "semi", $"epoch-{next:D3}") : null;
    }

    /// <summary>
    /// The teacher's pseudo label, σ and keep-mask of each whole scene, into the cache; scenes named in
    /// <paramref name="pictures"/> are drawn there. σ of all the scenes is predicted first, so that the
    /// <see cref="UncertaintyNormalisation.GlobalQuantile"/> range is one for the whole refresh.
    /// </summary>
    public void RefreshScenes(IReadOnlyList<TrainingScene> scenes, int epoch, IReadOnlyDictionary<string, string>? pictures = null)
    {
        if (scenes.Count == 0) return;
        using var scope = NewDisposeScope();
        var predicted = scenes.Select(PredictScene).ToArray();
        var range = Options.Mask.Normalisation == UncertaintyNormalisation.GlobalQuantile
            ? BiLevelUncertaintyMask.Range(predicted.Select(p => p.Sigma), Options.Mask) : (UncertaintyRange?)null;
        double kept = 0, pixels = 0;
        for (int i = 0; i < scenes.Count; i++)
        {
            var (label, sigma) = predicted[i];
            using var mask = BiLevelUncertaintyMask.Compute(sigma, Options.Mask, range);
            if (pictures != null && pictures.TryGetValue(scenes[i].Id, out var picture)) UncertaintyPictures.Write(picture, scenes[i], label, mask);
            kept += mask.Keep.sum().item<float>();
            pixels += mask.Keep.numel();
            _cache.Store(scenes[i].Id, epoch, new Dictionary<string, Tensor> { ["label"] = label[0], ["sigma"] = sigma[0], ["keep"] = mask.Keep[0] });
        }
        _maskStats = (range?.Low ?? double.NaN, range?.High ?? double.NaN, kept / pixels);
    }

    /// <summary>
    /// Draws what the teacher makes of any scene (a real bracket too) into <paramref name="path"/>, masked as the
    /// last refresh masked the training scenes: with its σ range under
    /// <see cref="UncertaintyNormalisation.GlobalQuantile"/> (the scene's own when the run has not refreshed yet).
    /// Returns the kept share of the scene's pixels. Nothing is cached.
    /// </summary>
    public double DrawScene(TrainingScene scene, string path)
    {
        using var scope = NewDisposeScope();
        var (label, sigma) = PredictScene(scene);
        UncertaintyRange? range = _maskStats is { } m && double.IsFinite(m.Low) ? new UncertaintyRange(m.Low, m.High) : null;
        using var mask = BiLevelUncertaintyMask.Compute(sigma, Options.Mask, range);
        UncertaintyPictures.Write(path, scene, label, mask);
        return mask.Keep.mean().item<float>();
    }

    /// <summary>The teacher's whole-scene prediction and σ (its weak view: the un-augmented scene, padded to the network's multiple).</summary>
    private (Tensor Label, Tensor Sigma) PredictScene(TrainingScene scene)
    {
        var net = _teacher.Teacher.Network;
        var input = NetworkInput.Build(scene.ToBracket(), net.InputSpec).to(_device);
        long h = input.shape[3], w = input.shape[4];
        var padded = NetworkPadding.Pad(input, NetworkPadding.MultipleFor(net));
        var (prediction, logVariance) = _teacher.Predict(t => t.Run(padded));
        return (prediction[.., .., ..(int)h, ..(int)w], JudgeNetwork.Sigma(logVariance[.., .., ..(int)h, ..(int)w]));
    }

    public override StepOutcome TrainStep(TrainingBatch batch, StepContext context)
    {
        double lambda = Options.UnlabelledWeightAt(context.Epoch);
        var labelledRows = Rows(batch, true);
        var unlabelledRows = lambda > 0 ? Rows(batch, false) : [];
        var terms = new Dictionary<string, double> { ["labelled_samples"] = labelledRows.Length, ["unlabelled_samples"] = unlabelledRows.Length, ["unlabelled_weight"] = lambda };
        if (labelledRows.Length + unlabelledRows.Length == 0) return new StepOutcome(0, terms);

        _student.train();
        _studentOptimizer.ZeroGrad();
        _judgeOptimizer.ZeroGrad();
        var (labelledInputs, target, labelledWeight) = Pick(batch, labelledRows, withTarget: true);
        var (unlabelledInputs, pseudo, keep) = UnlabelledView(batch, unlabelledRows, context.Step);
        var inputs = cat(new[] { labelledInputs, unlabelledInputs }.Where(t => t is not null).Select(t => t!).ToArray(), 0);
        var (prediction, logVariance) = _student.Run(inputs);

        Tensor total = zeros(1, device: inputs.device).squeeze();
        long nl = labelledRows.Length;
        if (nl > 0)
        {
            var p = prediction.narrow(0, 0, nl);
            var reconstruction = _loss.Compute(new LossInputs(p, target!, labelledWeight));
            var k = UncertaintyLoss.Compute(p, target!, logVariance.narrow(0, 0, nl), labelledWeight, _student.Mu);
            total = total + reconstruction.Total + k;
            terms["sup_loss"] = reconstruction.Total.item<float>();
            terms["sup_uncertainty"] = k.item<float>();
            foreach (var (name, value) in reconstruction.Terms) terms[$"sup_{name}"] = value.item<float>();
        }
        if (unlabelledRows.Length > 0)
        {
            var p = prediction.narrow(0, nl, unlabelledRows.Length);
            var reconstruction = _loss.Compute(new LossInputs(p, pseudo!, keep));
            var k = UncertaintyLoss.Compute(p, pseudo!, logVariance.narrow(0, nl, unlabelledRows.Length), keep, _student.Mu);
            using var weight = lambda.ToScalar();
            total = total + (reconstruction.Total + k) * weight;
            terms["unsup_loss"] = reconstruction.Total.item<float>();
            terms["unsup_uncertainty"] = k.item<float>();
            terms["kept_fraction"] = keep!.mean().item<float>();
            if (_maskStats is { } m)
            {
                terms["kept_fraction_scenes"] = m.Kept;
                if (double.IsFinite(m.Low)) (terms["mask_sigma_low"], terms["mask_sigma_high"]) = (m.Low, m.High);
            }
        }
        total.backward();
        _studentOptimizer.Step();
        _judgeOptimizer.Step();
        if (context.Epoch >= Options.WarmupEpochs) _teacher.Update();
        return new StepOutcome(total.item<float>(), terms);
    }

    private static long[] Rows(TrainingBatch batch, bool labelled) =>
        Enumerable.Range(0, batch.Labelled.Count).Where(i => batch.Labelled[i] == labelled).Select(i => (long)i).ToArray();

    private static (Tensor? Inputs, Tensor? Target, Tensor? Weight) Pick(TrainingBatch batch, long[] rows, bool withTarget)
    {
        if (rows.Length == 0) return (null, null, null);
        var index = tensor(rows, ScalarType.Int64, batch.Inputs.device);
        return (batch.Inputs.index_select(0, index), withTarget ? batch.Target!.index_select(0, index) : null, batch.PixelWeight?.index_select(0, index));
    }

    /// <summary>
    /// The unlabelled rows' student inputs, their cached pseudo labels cut by each sample's placement, and the
    /// pixel weight (keep-mask × the batch's weight). With <see cref="SemiSupervisedOptions.StudentColourShuffle"/>
    /// input and pseudo label of a row get the same RGB permutation, drawn from the seed and step.
    /// </summary>
    public (Tensor? Inputs, Tensor? Pseudo, Tensor? Weight) UnlabelledView(TrainingBatch batch, long[] rows, long step)
    {
        if (rows.Length == 0) return (null, null, null);
        var (inputs, _, weight) = Pick(batch, rows, withTarget: false);
        var samples = rows.Select(r => batch.Samples[(int)r]).ToArray();
        Tensor Cut(string name, bool colour) => stack(samples.Select(s => s.Apply(CachedScene(s.SceneId, name), colour))).to(batch.Inputs.device);
        var pseudo = Cut("label", colour: true);
        var keep = Options.Masking ? Cut("keep", colour: false) : ones(pseudo.shape[0], 1, pseudo.shape[2], pseudo.shape[3], device: pseudo.device);
        if (weight is not null) keep = keep * weight;
        if (Options.StudentColourShuffle)
        {
            var shuffled = new Tensor[rows.Length];
            var labels = new Tensor[rows.Length];
            for (int i = 0; i < rows.Length; i++)
            {
                var rng = SeedMixer.Create(_seed, step, rows[i], 0x5e41);
                int[] order = [0, 1, 2];
                rng.Shuffle(order);
                var view = samples[i] with { X = 0, Y = 0, Transform = new PatchTransform(0, false, false, order) };
                shuffled[i] = view.Apply(inputs![i], colour: true);
                labels[i] = view.Apply(pseudo[i], colour: true);
            }
            inputs = stack(shuffled);
            pseudo = stack(labels);
        }
        return (inputs, pseudo, keep);
    }

    private Tensor CachedScene(string sceneId, string name) => _cache.TryGet(sceneId, out var entry) && entry.Tensors.TryGetValue(name, out var t) ? t
        : throw new InvalidOperationException($"no pseudo label for unlabelled scene '{sceneId}': OnEpochBegin refreshes every unlabelled scene of EpochContext.Scenes after the warm-up");

    public override IReadOnlyDictionary<string, Tensor> SaveState()
    {
        var state = new Dictionary<string, Tensor>(_cache.ToTensors(CachePrefix))
        {
            [ExportStateKey] = tensor(new[] { _teacherStarted ? 1f : 0f, _exportTeacher ? 1f : 0f }),
        };
        if (_maskStats is { } m) state[MaskStateKey] = tensor(new[] { m.Low, m.High, m.Kept });
        return state;
    }

    public override void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        _cache.LoadTensors(state, CachePrefix);
        if (state.TryGetValue(ExportStateKey, out var export))
            (_teacherStarted, _exportTeacher) = (export[0].item<float>() != 0, export[1].item<float>() != 0);
        else (_teacherStarted, _exportTeacher) = (_cache.Count > 0, false); // a checkpoint from before the choice existed
        _maskStats = state.TryGetValue(MaskStateKey, out var m) ? (m[0].item<double>(), m[1].item<double>(), m[2].item<double>()) : null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _loss.Dispose();
            _cache.Dispose();
        }
        base.Dispose(disposing);
    }
}
