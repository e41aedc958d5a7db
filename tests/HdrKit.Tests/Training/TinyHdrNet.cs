using HdrKit.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

/// <summary>
/// A few-hundred-parameter HdrNetwork for trainer tests: shared per-exposure conv, fusion conv, head.
/// Optional dropout (Extra["dropout"]) makes the forward pass consume the torch generator, so resume tests
/// also prove the generator state is restored.
/// </summary>
internal sealed class TinyHdrNet : HdrNetwork
{
    public const string RegistryName = "test-tiny";

    private readonly Conv2d encode, fuse, head;
    private readonly Dropout2d drop;
    private readonly int _exposures;

    public TinyHdrNet(int width, int exposures, double dropout) : base(nameof(TinyHdrNet))
    {
        _exposures = exposures;
        encode = nn.Conv2d(6, width, 3, padding: 1);
        fuse = nn.Conv2d(width * exposures, width, 3, padding: 1);
        head = nn.Conv2d(width, 3, 3, padding: 1);
        drop = nn.Dropout2d(dropout);
        RegisterComponents();
    }

    public override NetworkInputSpec InputSpec => new(InputOrder.LinearFirst, [_exposures], 4);

    public override IReadOnlyList<FeatureInfo> FeatureInfo => [new("fused", 8, 1)];

    public override HdrForward ForwardWithFeatures(Tensor exposures)
    {
        var frames = SplitExposures(exposures);
        var encoded = frames.Select(f => HdrKit.Models.Blocks.LeakyRelu.Apply(encode.call(f), 0.1)).ToArray();
        var fused = HdrKit.Models.Blocks.LeakyRelu.Apply(fuse.call(torch.cat(encoded, 1)), 0.1);
        var output = torch.sigmoid(head.call(drop.call(fused)));
        return new HdrForward(output, new Dictionary<string, Tensor> { ["fused"] = fused });
    }

    /// <summary>Idempotent; every test that builds a config on "test-tiny" calls it first.</summary>
    public static void Register() => ModelRegistry.Register(new ModelEntry(RegistryName, "tiny network for tests",
        o => new TinyHdrNet(o.Width ?? 8, o.Exposures, double.Parse(o.Extra.GetValueOrDefault("dropout", "0"), System.Globalization.CultureInfo.InvariantCulture))));
}
