using HdrKit.Classical;
using HdrKit.Exposure;
using HdrKit.Models;

namespace HdrKit.Inference;

/// <summary>
/// The merge policy of `hdrkit merge`, for any caller: picks the network (the given one, else the shipped default
/// model) or the classical merge, fits a longer bracket to the exposure count the network takes by choosing the
/// frames that span it, and falls back to the classical merge where the default model cannot be used. Planning
/// (<see cref="Create"/>) needs only the frame count, so a bracket a requested network cannot take fails before
/// any image is read. Notes explain every choice the caller did not make explicitly. A merger keeps no state from
/// one bracket to the next, so one merger (and its loaded network) serves any number of brackets of its count.
/// </summary>
public sealed class BracketMerger : IDisposable
{
    private readonly MergeOptions _options;
    private readonly List<string> _notes;
    private readonly bool _ownsNetwork;
    private HdrNetwork? _network;
    private readonly string _networkName;

    private BracketMerger(MergeOptions options, HdrNetwork? network, string networkName, bool ownsNetwork, List<string> notes)
    {
        _options = options; _network = network; _networkName = networkName; _ownsNetwork = ownsNetwork; _notes = notes;
    }

    /// <summary>The network that will merge, or null for the classical merge.</summary>
    public HdrNetwork? Network => _network;

    /// <summary>Notes from planning (e.g. why the default model is not used).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>Plans the merge of a bracket of <paramref name="exposures"/> frames; loads the default model when it is used.</summary>
    public static BracketMerger Create(MergeOptions options, int exposures)
    {
        var merger = Choose(options, exposures);
        try { merger.TileOptionsFor(); }
        catch { merger.Dispose(); throw; }
        return merger;
    }

    private static BracketMerger Choose(MergeOptions options, int exposures)
    {
        var notes = new List<string>();
        switch (options.Method)
        {
            case MergeMethod.Classical:
                return new BracketMerger(options, null, "", false, notes);
            case MergeMethod.Auto when options.Network == null:
                if (options.ClassicalSettingsRequested || (options.ModelFolder ?? DefaultModel.Folder) is not { } folder)
                    return new BracketMerger(options, null, "", false, notes);
                var (net, info) = DefaultModel.Load(folder);
                if (CanTake(net.InputSpec, exposures)) return new BracketMerger(options, net, $"default model ({info.Model})", true, notes);
                notes.Add($"note: the default model ({info.Model}) merges {DescribeCounts(net.InputSpec)} exposures and this bracket has {exposures}; using the classical merge");
                net.Dispose();
                return new BracketMerger(options, null, "", false, notes);
            default:
                var (network, name, owned) = options.Network is { } given
                    ? (given, options.NetworkName ?? given.GetName(), false)
                    : LoadShipped(options.ModelFolder);
                if (!CanTake(network.InputSpec, exposures))
                {
                    if (owned) network.Dispose();
                    throw new ArgumentException($"{name} merges {DescribeCounts(network.InputSpec)} exposures, this bracket has {exposures}; use the classical merge or a network that takes any count (smnet)");
                }
                return new BracketMerger(options, network, name, owned, notes);
        }
    }

    /// <summary>
    /// The network's tiling, with the caller's tile size. The overlap is never shrunk to fit a small tile: that is
    /// what made small tiles leave seams; a tile too small for the network's overlap is refused instead.
    /// </summary>
    private TileOptions TileOptionsFor()
    {
        if (_network == null) return new TileOptions();
        var tiles = TileOptions.For(_network) with { Device = _options.Device };
        if (_options.TileSize is not int t) return tiles;
        if (t < 2 * tiles.Overlap)
            throw new ArgumentException($"tile size {t} is less than twice {_network.GetName()}'s tile overlap of {tiles.Overlap} px; use at least {2 * tiles.Overlap}");
        return tiles with { TileSize = t };
    }

    /// <summary>Whether a network takes this many exposures, or fewer of them picked from a longer bracket.</summary>
    public static bool CanTake(NetworkInputSpec spec, int exposures) =>
        spec.Accepts(exposures) || spec.ExposureCounts is { } counts && counts.Any(c => c >= 2 && c < exposures);

    /// <summary>"3", "1 or 3", "any number of": the exposure counts a network takes, for messages.</summary>
    public static string DescribeCounts(NetworkInputSpec spec) =>
        spec.ExposureCounts is { } counts ? string.Join(" or ", counts) : "any number of";

    public BracketMergeResult Merge(Bracket bracket, IProgress<double>? progress = null) => MergeInStages(bracket, _ => progress);

    /// <summary>As <see cref="Merge"/>, reporting into a progress per stage, named once the method is final.</summary>
    public BracketMergeResult MergeInStages(Bracket bracket, Func<string, IProgress<double>?> stage)
    {
        var notes = new List<string>();
        var network = _network;
        if (network != null && !network.InputSpec.Accepts(bracket.Count))
            (bracket, network) = FitToNetwork(network, bracket, notes);
        if (network != null)
        {
            var tiles = TileOptionsFor();
            var guard = _options.Guard ? new ReferenceGuard() : null;
            var merged = new NetworkMerger(network, tiles, guard) { Times = _options.Times }.MergeWithGuard(bracket, stage($"merging ({network.GetName()})"));
            if (merged.GuardReplaced)
                notes.Add($"note: the network contradicted the reference frame in {merged.GuardCoverage:P1} of the image (motion it could not align); the classical merge fills those pixels");
            return new BracketMergeResult(bracket, merged.Radiance, null, _networkName, notes, true);
        }
        bool calibrated = _options.Response == ResponseChoice.Calibrated || (_options.Response == ResponseChoice.Auto && bracket.Count >= 5);
        var method = $"classical merge ({(_options.Align ? "MTB alignment, " : "")}{(_options.Deghost ? "deghosting, " : "")}{(calibrated ? "calibrated response" : "γ 2.2 response")}, Debevec)";
        var classical = new ClassicalMergeOptions(Align: _options.Align, Deghost: _options.Deghost, CalibrateResponse: calibrated);
        var result = new ClassicalMerger(classical).Merge(bracket, stage("merging"));
        return new BracketMergeResult(bracket, result.Radiance, result.GhostMask, method, notes, false);
    }

    /// <summary>
    /// A longer bracket than the network takes: the frames that span it (e.g. −2/0/+2 of five). Without such frames
    /// a requested network is an error and the default model gives way to the classical merge for this bracket
    /// (null network); the merger itself is unchanged, so the next bracket may still use the network.
    /// </summary>
    private (Bracket Bracket, HdrNetwork? Network) FitToNetwork(HdrNetwork network, Bracket bracket, List<string> notes)
    {
        int want = network.InputSpec.ExposureCounts!.Where(c => c <= bracket.Count).Max();
        if (FrameSelection.Choose(bracket, want) is { } pick)
        {
            notes.Add($"note: {_networkName} merges {DescribeCounts(network.InputSpec)} exposures; using images {string.Join(", ", pick.Select(i => i + 1))} of {bracket.Count} ({string.Join(", ", pick.Select(i => $"{Math.Log2(bracket.ExposureSeconds[i] / bracket.ExposureSeconds[pick[pick.Length / 2]]):+0.#;-0.#;0} EV"))})");
            return (FrameSelection.Subset(bracket, pick), network);
        }
        if (_options.Method == MergeMethod.Network || _options.Network != null)
            throw new ArgumentException($"{_networkName} merges {DescribeCounts(network.InputSpec)} exposures and no {want} of these {bracket.Count} are at most {FrameSelection.MaxGapStops} stops apart; use the classical merge");
        notes.Add($"note: the default model merges {DescribeCounts(network.InputSpec)} exposures at most {FrameSelection.MaxGapStops} stops apart, which this {bracket.Count}-frame bracket does not offer; using the classical merge");
        return (bracket, null);
    }

    private static (HdrNetwork Network, string Name, bool Owned) LoadShipped(string? modelFolder)
    {
        var folder = modelFolder ?? DefaultModel.Folder
                     ?? throw new ArgumentException("no default model is installed (models/default); use the classical merge or give a network");
        var (network, info) = DefaultModel.Load(folder);
        return (network, $"default model ({info.Model})", true);
    }

    public void Dispose()
    {
        if (_ownsNetwork) _network?.Dispose();
        _network = null;
    }
}
