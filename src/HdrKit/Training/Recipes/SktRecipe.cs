using HdrKit.Data;
using HdrKit.Exposure;
using HdrKit.Losses;
using HdrKit.Models;
using HdrKit.Models.Auxiliary;
using HdrKit.Semantic;
using HdrKit.Util;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Recipes;

/// <summary>
/// Semantic knowledge transfer ("Boosting HDR Image Reconstruction via Semantic Knowledge Transfer"; the
/// formulas and choices are in docs/semantic-transfer.md): any registry network from `model:` is the ORM; a
/// frozen semantic knowledge bank gives priors; SPGRM refines T(H_in) under them and, trained by L_spg alone,
/// teaches the ORM through L_content, L_color and SKAM's L_feat at each of the ORM's feature taps. The ORM has
/// its own optimiser and `losses.orm` (L_org); SPGRM with the SKAMs is a second group with its own optimiser and
/// `losses.spgrm` (default ‖Ĥ_s − T(GT)‖₁). Taps pair with SPGRM stages through the ORM's declared
/// <see cref="HdrNetwork.FeatureInfo"/> and <see cref="SpgrmConfig.StageForTap"/>, so no model is named here.
/// Only the ORM is validated and exported.
/// </summary>
public sealed class SktRecipe : TrainingRecipe
{
    private readonly HdrNetwork _orm;
    private readonly Spgrm _spgrm;
    private readonly Skam[] _skams = [];
    private readonly (string Tap, int Stage)[] _pairs;
    private readonly SktPriors _priors;
    private readonly SktOptions _options;
    private readonly CompositeLoss _ormLoss;
    private readonly CompositeLoss? _spgLoss;
    private readonly CompositeLoss? _content;
    private readonly SemanticHistogramLoss? _color;
    private readonly SkamLoss? _feat;
    private readonly NamedOptimizer _ormOptimizer, _spgrmOptimizer;

    public SktRecipe(TrainingConfig config, Device device)
    {
        _options = SktOptions.From(config.RecipeOptions);
        var built = new List<IDisposable>();
        try
        {
            _orm = config.Model.Build();
            built.Add(_orm);
            _orm.to(device);
            _spgrm = new Spgrm(_options.Spgrm);
            built.Add(_spgrm);
            _spgrm.to(device);
            var taps = _orm.FeatureInfo;
            if (_options.Taps is { } chosen)
            {
                var unknown = chosen.Where(n => taps.All(t => t.Name != n)).ToArray();
                if (unknown.Length > 0 || chosen.Count == 0)
                    throw new ArgumentException($"recipe_options.taps [{string.Join(", ", chosen)}] must name some of {config.Model.Name}'s taps: {string.Join(", ", taps.Select(t => t.Name))}");
                taps = taps.Where(t => chosen.Contains(t.Name)).ToArray(); // declared order, early to late
            }
            if (_options.FeatWeight > 0)
            {
                if (taps.Count == 0) throw new ArgumentException($"{config.Model.Name} exposes no feature taps for SKAM; set recipe_options.feat_weight: 0");
                _pairs = taps.Select((t, i) => (t.Name, _options.Spgrm.StageForTap(i, taps.Count))).ToArray();
                _skams = taps.Select(t => new Skam(t.Channels, _options.Spgrm.Width, _options.Spgrm.Width).to(device)).ToArray();
                built.AddRange(_skams);
                _feat = new SkamLoss(_options.SkamTeacherRatio);
            }
            else _pairs = [];

            _priors = new SktPriors(CreateBank(_options, device), _options.Priors == "reference", _options.BankCache);
            built.Add(_priors);
            if (_options.Spgrm.UsePriors && !_priors.Bank.Backend.FeatureInfo.Select(f => f.Channels).SequenceEqual(_options.Spgrm.Priors))
                throw new ArgumentException($"recipe_options.spgrm.prior_channels [{string.Join(", ", _options.Spgrm.Priors)}] do not match the bank's [{string.Join(", ", _priors.Bank.Backend.FeatureInfo.Select(f => f.Channels))}]");

            _ormLoss = TrainingLosses.For(config, "orm", device);
            built.Add(_ormLoss);
            if (config.Losses?.ContainsKey("spgrm") == true)
            {
                _spgLoss = TrainingLosses.For(config, "spgrm", device);
                built.Add(_spgLoss);
            }
            if (_options.ContentWeight > 0)
            {
                using var vgg = _options.ContentPerceptual > 0 ? LoadVgg(_options) : null;
                _content = SelfDistillation.ContentLoss(vgg, perceptualWeight: _options.ContentPerceptual, mu: _options.Mu);
                foreach (var (term, _) in _content.Terms) if (term is VggPerceptualLoss p) p.To(device);
                built.Add(_content);
            }
            if (_options.ColorWeight > 0) _color = new SemanticHistogramLoss(_options.Histogram);

            _orm.train();
            _ormOptimizer = NamedOptimizer.Adam("orm", _orm.named_parameters(), config.Optimizer);
            var second = new Dictionary<string, nn.Module> { ["spgrm"] = _spgrm };
            // One entry per tap ("skam.fused", …): checkpoint and optimiser keys then name the tap they align.
            for (int k = 0; k < _skams.Length; k++) second[$"skam.{_pairs[k].Tap}"] = _skams[k];
            _spgrmOptimizer = NamedOptimizer.Adam("spgrm", second, config.Optimizer, _options.SpgrmLr);
            Modules = new Dictionary<string, nn.Module>(second.Prepend(KeyValuePair.Create("orm", (nn.Module)_orm)));
            Optimizers = [_ormOptimizer, _spgrmOptimizer];
        }
        catch
        {
            foreach (var b in built) b.Dispose();
            throw;
        }
    }

    public override string Name => "skt";
    public override IReadOnlyDictionary<string, nn.Module> Modules { get; }
    public override IReadOnlyList<NamedOptimizer> Optimizers { get; }
    public override HdrNetwork InferenceNetwork => _orm;

    public Spgrm Refiner => _spgrm;
    public IReadOnlyList<Skam> Skams => _skams;
    /// <summary>Each SKAM's ORM tap and SPGRM fusion stage, in tap order.</summary>
    public IReadOnlyList<(string Tap, int Stage)> Pairs => _pairs;
    public SemanticKnowledgeBank Bank => _priors.Bank;
    public SktPriors Priors => _priors;

    public override void AttachData(ITrainingBatchSource data) => _priors.Attach(data.Scenes);

    public override void OnEpochBegin(EpochContext context) => _priors.Attach(context.Scenes);

    public override StepOutcome TrainStep(TrainingBatch batch, StepContext context)
    {
        if (batch.LabelledOnly() is not { } labelled) return new StepOutcome(0, new Dictionary<string, double> { ["labelled_samples"] = 0 });
        batch = labelled;
        float mu = _options.Mu;
        _orm.train();
        _spgrm.train();
        foreach (var s in _skams) s.train();
        _ormOptimizer.ZeroGrad();
        _spgrmOptimizer.ZeroGrad();

        var f = _pairs.Length > 0 ? _orm.ForwardWithFeatures(batch.Inputs) : new HdrForward(_orm.forward(batch.Inputs), new Dictionary<string, Tensor>());
        var hs = MuLaw.Apply(f.Output, mu);
        bool needPriors = _options.Spgrm.UsePriors || _color is not null;
        var (priorFeatures, segments) = needPriors ? _priors.For(batch, hs) : (null, null);
        // Eq. 14 trains the ORM through the distillation terms only; SPGRM sees a constant image unless asked otherwise.
        var refined = _spgrm.forward(_options.SpgTrainsOrm ? hs : hs.detach(), _options.Spgrm.UsePriors ? priorFeatures : null);

        var terms = new Dictionary<string, double>();
        var org = _ormLoss.Compute(new LossInputs(f.Output, batch.Target!, batch.PixelWeight));
        foreach (var (name, v) in org.Terms) terms[name] = v.item<float>();
        var ormTotal = org.Total;
        if (_content is not null)
        {
            var content = _content.Compute(new LossInputs(f.Output, SelfDistillation.TeacherTarget(refined.Output, mu), batch.PixelWeight)).Total;
            terms["content"] = content.item<float>();
            ormTotal = ormTotal + content * Scalars.Of(_options.ContentWeight);
        }
        if (_color is not null)
        {
            var color = _color.Compute(hs, refined.Output, SktPriors.Masks(segments!));
            terms["color"] = color.item<float>();
            ormTotal = ormTotal + color * Scalars.Of(_options.ColorWeight);
        }
        if (_skams.Length > 0)
        {
            Tensor? feat = null;
            for (int k = 0; k < _pairs.Length; k++)
            {
                var (tap, stage) = _pairs[k];
                var term = _feat!.Compute(_skams[k], f.Features[tap], refined.Features[stage]);
                terms[$"feat_{tap}"] = term.item<float>();
                feat = feat is null ? term : feat + term;
            }
            terms["feat"] = feat!.item<float>();
            ormTotal = ormTotal + feat * Scalars.Of(_options.FeatWeight);
        }
        var spg = _spgLoss is null ? SelfDistillation.RefinerLoss(refined.Output, batch.Target!, batch.PixelWeight, mu)
            : _spgLoss.Compute(new LossInputs(MuLaw.Invert(refined.Output, mu), batch.Target!, batch.PixelWeight)).Total;
        terms["orm"] = ormTotal.item<float>();
        terms["spg"] = spg.item<float>();
        (ormTotal + spg).backward();
        _ormOptimizer.Step();
        _spgrmOptimizer.Step();
        return new StepOutcome(terms["orm"] + terms["spg"], terms);
    }

    private static SemanticKnowledgeBank CreateBank(SktOptions o, Device device)
    {
        ISemanticBackend backend = o.Bank == "random"
            ? new RandomConvBackend(o.Spgrm.Priors, o.BankSeed)
            : o.BankPath is { } path ? new DeepLabV3Backend(path, o.BankWorkingSize, device) : DeepLabV3Backend.FromShared(o.BankWorkingSize, device);
        return new SemanticKnowledgeBank(backend);
    }

    private static Vgg19Weights LoadVgg(SktOptions o)
    {
        var path = o.VggWeights ?? Vgg19Weights.DefaultPath
            ?? throw new ArgumentException("recipe_options.content_perceptual > 0 needs VGG19 weights: set recipe_options.vgg_weights, or content_perceptual: 0");
        return Vgg19Weights.Load(path);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ormLoss.Dispose();
            _spgLoss?.Dispose();
            _content?.Dispose();
            _priors.Dispose();
        }
        base.Dispose(disposing);
    }
}
