using HdrKit.Losses;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>Builds loss sections (`loss:`, or one of `losses:` per network) into <see cref="CompositeLoss"/>es through <see cref="LossRegistry"/>.</summary>
public static class TrainingLosses
{
    public static CompositeLoss Create(LossConfig config, Device device) => Create(config.ToTerms(), device);

    /// <summary>
    /// The loss of one of a recipe's networks: `losses.{network}` when the config has that section, else the
    /// single `loss:` section (so one-network configs keep working unchanged).
    /// </summary>
    public static CompositeLoss For(TrainingConfig config, string network, Device device) =>
        config.Losses is { } sections && sections.TryGetValue(network, out var terms)
            ? Create(terms.Select((t, i) => t.At($"losses.{network}[{i}]")).ToArray(), device)
            : Create(config.Loss, device);

    public static CompositeLoss Create(IReadOnlyList<OptionSection> terms, Device device)
    {
        var loss = new CompositeLoss();
        try
        {
            foreach (var term in terms)
            {
                LossRegistry.Check(term);
                loss.Add(LossRegistry.Create(term, device), LossRegistry.Weight(term));
            }
            return loss;
        }
        catch
        {
            loss.Dispose();
            throw;
        }
    }
}
