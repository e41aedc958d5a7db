using HdrKit.Training;
using HdrKit.Util;
using static TorchSharp.torch;

namespace HdrKit.Tests.Training;

/// <summary>Loss terms chosen by `type`, per-network loss sections, and the fixed `loss:` keys still meaning what they did.</summary>
public sealed class LossSectionTests
{
    [Fact]
    public void Fixed_keys_build_the_same_terms_as_before()
    {
        var config = TrainingConfig.Parse("model: { name: test-tiny }\nloss: { mu_l1: 1, linear_l1: 0.25 }");
        using var loss = TrainingLosses.For(config, "model", CPU);
        Assert.Equal(["mu_l1", "linear_l1"], loss.Terms.Select(t => t.Term.Name));
        Assert.Equal([1.0, 0.25], loss.Terms.Select(t => t.Weight));
    }

    [Fact]
    public void Terms_by_type_and_one_section_per_network()
    {
        var config = TrainingConfig.Parse("""
            model: { name: test-tiny }
            loss:
              terms:
                - { type: mu_l1, weight: 2, mu: 100 }
            losses:
              refiner:
                - { type: linear_l1, weight: 0.5 }
                - { type: mu_l1 }
            """);
        config.Validate();
        using var main = TrainingLosses.For(config, "orm", CPU);   // no section of its own: `loss:`
        using var refiner = TrainingLosses.For(config, "refiner", CPU);
        Assert.Equal([("mu_l1", 2.0)], main.Terms.Select(t => (t.Term.Name, t.Weight)));
        Assert.Equal([("linear_l1", 0.5), ("mu_l1", 1.0)], refiner.Terms.Select(t => (t.Term.Name, t.Weight)));

        // mu: 100 reached the term: μ-law with μ = 100 of 1 vs 0 is log(101)/log(101) = 1, of 0.5 vs 0 is log(51)/log(101).
        using var p = full(1, 3, 2, 2, Scalars.Of(0.5f));
        using var t = zeros(1, 3, 2, 2);
        var value = main.Compute(new HdrKit.Losses.LossInputs(p, t)).Total.item<float>();
        Assert.Equal(2 * Math.Log(51) / Math.Log(101), value, 4);
    }

    [Theory]
    [InlineData("loss: { terms: [ { type: huber } ] }", "loss.terms[0].type: unknown loss 'huber'")]
    [InlineData("loss: { terms: [ { weight: 1 } ] }", "loss.terms[0].type is required")]
    [InlineData("loss: { terms: [ { type: mu_l1, weight: -1 } ] }", "loss.terms[0].weight must be")]
    [InlineData("loss: { terms: [ { type: mu_l1, weight: heavy } ] }", "loss.terms[0].weight: expected a number, got 'heavy'")]
    [InlineData("loss: { terms: [ { type: perceptual, layers: relu1_1 } ] }", "loss.terms[0].layers: expected a list")]
    [InlineData("loss: { terms: [] }", "loss has no terms")]
    [InlineData("loss: { perceptual: 0.01, terms: [ { type: mu_l1 } ] }", "loss.terms replaces")]
    [InlineData("losses: { refiner: [ { type: mu_l1, mu: x } ] }", "losses.refiner[0].mu: expected a number")]
    public void Bad_loss_sections_fail_validation_naming_the_key(string yaml, string message)
    {
        var config = TrainingConfig.Parse("model: { name: test-tiny }\n" + yaml);
        Assert.Contains(message, Assert.Throws<InvalidDataException>(() => config.Validate()).Message);
    }
}
