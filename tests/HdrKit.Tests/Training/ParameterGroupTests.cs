using HdrKit.Models;
using HdrKit.Training;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

/// <summary>Freezing by name prefix, one optimiser per network with non-colliding state keys, per-optimiser rates.</summary>
[Collection(GlobalGeneratorCollection.Name)]
public sealed class ParameterGroupTests
{
    private static Dictionary<string, Tensor> Snapshot(nn.Module module) =>
        module.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());

    [Theory]
    [InlineData(null, "encode.")]        // a frozen part
    [InlineData("head.", null)]          // fine-tuning one layer only
    [InlineData("fuse.,head.", "head.bias")] // frozen wins over trainable
    public void Frozen_parameters_are_unchanged_after_training_and_get_no_gradient(string? trainable, string? frozen)
    {
        var config = TrainingTestConfigs.Tiny(epochs: 1, batchesPerEpoch: 2);
        config.Model.Trainable = trainable?.Split(',');
        config.Model.Frozen = frozen?.Split(',');
        using var dir = new TestData.TempDir();
        using var trainer = new Trainer(config, dir.Path);
        var net = trainer.Recipe.InferenceNetwork;
        var before = Snapshot(net);
        bool Trains(string name) => (trainable is null || trainable.Split(',').Any(name.StartsWith)) && (frozen is null || !frozen.Split(',').Any(name.StartsWith));

        trainer.Run(TestContext.Current.CancellationToken);

        var after = Snapshot(net);
        Assert.Contains(after.Keys, n => !Trains(n));
        Assert.Contains(after.Keys, Trains);
        foreach (var (name, p) in net.named_parameters())
        {
            if (Trains(name))
            {
                Assert.True(p.requires_grad, name);
                Assert.False(before[name].allclose(after[name], 0, 0), $"{name} should have trained");
            }
            else
            {
                Assert.False(p.requires_grad, name);
                Assert.Null(p.grad);
                TensorAssert.Exact(before[name], after[name], name);
            }
        }
        var (total, trainableCount) = trainer.Recipe.ParameterCounts();
        Assert.Equal(net.ParameterCount(), total);
        Assert.Equal(net.named_parameters().Where(p => Trains(p.name)).Sum(p => p.parameter.numel()), trainableCount);
        Assert.Equal(trainableCount, trainer.Recipe.Optimizers.Single().Parameters.Sum(p => p.Parameter.numel()));
    }

    [Fact]
    public void A_prefix_that_matches_no_parameter_is_rejected_by_name()
    {
        var config = TrainingTestConfigs.Tiny();
        config.Model.Frozen = ["conv_first."];
        var e = Assert.Throws<ArgumentException>(() => config.Model.Build());
        Assert.Contains("model.frozen", e.Message);
        Assert.Contains("'conv_first.'", e.Message);
        config.Model.Frozen = null;
        config.Model.Trainable = ["encode."];
        config.Model.Frozen = ["encode."];
        Assert.Contains("no parameter to train", Assert.Throws<ArgumentException>(() => config.Model.Build()).Message);
    }

    [Fact]
    public void One_optimiser_over_two_modules_prefixes_their_parameter_names()
    {
        TinyHdrNet.Register();
        using var a = ModelRegistry.Create(TinyHdrNet.RegistryName);
        using var b = ModelRegistry.Create(TinyHdrNet.RegistryName);
        var config = new OptimizerConfig();
        var e = Assert.Throws<ArgumentException>(() => NamedOptimizer.Adam("joint", a.named_parameters().Concat(b.named_parameters()), config));
        Assert.Contains("'encode.weight'", e.Message);

        using var joint = NamedOptimizer.Adam("joint", new Dictionary<string, nn.Module> { ["orm"] = a, ["refiner"] = b }, config);
        using var scope = NewDisposeScope();
        var keys = joint.SaveState("optim.joint.").Keys.ToHashSet();
        Assert.Contains("optim.joint.orm.encode.weight.exp_avg", keys);
        Assert.Contains("optim.joint.refiner.encode.weight.exp_avg", keys);
        Assert.Equal(2 * a.parameters().Count() * 3, keys.Count); // exp_avg, exp_avg_sq, step per parameter
    }

    [Fact]
    public void Two_networks_with_the_same_parameter_names_save_and_restore_their_optimisers_separately()
    {
        TwoNetworkRecipe.Register();
        var config = TrainingTestConfigs.Tiny(epochs: 2, batchesPerEpoch: 3);
        config.Recipe = TwoNetworkRecipe.RegistryName;
        using var straightDir = new TestData.TempDir();
        using var cutDir = new TestData.TempDir();

        var (straight, cut) = InterruptedRun.StraightAndCut(config, straightDir.Path, cutDir.Path, cutAtStep: 2);

        var saved = SafeTensors.Load(Checkpoint.Read(cut.CheckpointPath).TensorsPath);
        try
        {
            var student = saved["optim.student.encode.weight.exp_avg"];
            var judge = saved["optim.judge.encode.weight.exp_avg"];
            Assert.False(student.allclose(judge), "the two optimisers' moments for encode.weight are the same tensor");
            Assert.True(student.abs().sum().item<float>() > 0 && judge.abs().sum().item<float>() > 0);
        }
        finally { foreach (var t in saved.Values) t.Dispose(); }

        // Swapped or shared state would change every later step.
        using var resumed = Trainer.Resume(cut.CheckpointPath);
        var rest = resumed.Run(TestContext.Current.CancellationToken).Losses;
        Assert.Equal(straight.Skip(2), rest);

        var train = MetricsLog.Read(Path.Combine(straightDir.Path, "metrics.jsonl")).Where(r => (string?)r["kind"] == "train").ToList();
        Assert.All(train, r => Assert.Equal((double)r["lr_student"]! / 4, (double)r["lr_judge"]!, 12));
        Assert.Equal((double)train[^1]["lr"]!, (double)train[^1]["lr_student"]!);
    }
}
