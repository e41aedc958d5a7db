using TorchSharp;
using static TorchSharp.torch;

namespace HdrKit.Training.Components;

/// <summary>
/// A named subset of a module's parameters chosen by name prefix, e.g. what SMHDR fine-tunes for a new
/// exposure count (<see cref="Models.SmNet.ExposureDependentPrefixes"/>). Names are the state-dict names.
/// </summary>
public static class ParameterSubset
{
    public static bool Matches(string name, IReadOnlyList<string> prefixes) =>
        prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Names of the parameters that train under <paramref name="prefixes"/>.</summary>
    public static IReadOnlyList<string> Names(nn.Module module, IReadOnlyList<string> prefixes) =>
        module.named_parameters().Select(p => p.name).Where(n => Matches(n, prefixes)).ToList();

    /// <summary>Share of the module's parameter elements that train under <paramref name="prefixes"/>.</summary>
    public static double Fraction(nn.Module module, IReadOnlyList<string> prefixes)
    {
        long total = 0, chosen = 0;
        foreach (var (name, p) in module.named_parameters())
        {
            total += p.numel();
            if (Matches(name, prefixes)) chosen += p.numel();
        }
        return total == 0 ? 0 : chosen / (double)total;
    }

    /// <summary>Freezes every parameter outside <paramref name="prefixes"/> and unfreezes those inside.</summary>
    public static void TrainOnly(nn.Module module, IReadOnlyList<string> prefixes)
    {
        foreach (var (name, p) in module.named_parameters()) p.requires_grad = Matches(name, prefixes);
    }
}
