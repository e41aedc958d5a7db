using HdrKit.Models;
using HdrKit.Util;

namespace HdrKit.Inference;

/// <summary>What <see cref="BracketMerger"/> should do; the defaults are those of `hdrkit merge` without options.</summary>
public sealed record MergeOptions
{
    public MergeMethod Method { get; init; } = MergeMethod.Auto;

    /// <summary>A network the caller loaded (and keeps ownership of); null uses the shipped model in <see cref="ModelFolder"/>.</summary>
    public HdrNetwork? Network { get; init; }

    /// <summary>How <see cref="Network"/> is named in notes and results; default its registry name.</summary>
    public string? NetworkName { get; init; }

    /// <summary>Shipped model folder (model.json + weights) used when no <see cref="Network"/> is given; default <see cref="DefaultModel.Folder"/>.</summary>
    public string? ModelFolder { get; init; }

    /// <summary>
    /// The caller asked for something only the classical merge does (a ghost mask, no alignment…), so
    /// <see cref="MergeMethod.Auto"/> does not pick the default model.
    /// </summary>
    public bool ClassicalSettingsRequested { get; init; }

    /// <summary>Classical merge: MTB alignment.</summary>
    public bool Align { get; init; } = true;

    /// <summary>Classical merge: ghost rejection.</summary>
    public bool Deghost { get; init; } = true;

    /// <summary>Classical merge: camera response.</summary>
    public ResponseChoice Response { get; init; } = ResponseChoice.Auto;

    /// <summary>Networks: tiles hold at most this squared pixels; null keeps the network's preferred size.</summary>
    public int? TileSize { get; init; }

    /// <summary>Networks: "auto", "cpu", "cuda[:n]"; null keeps the network where it is.</summary>
    public string? Device { get; init; }

    /// <summary>Networks: replace pixels that contradict the reference frame by the classical merge (<see cref="ReferenceGuard"/>).</summary>
    public bool Guard { get; init; }

    /// <summary>When set, receives the time of each merge stage (see <see cref="NetworkMerger.Times"/>).</summary>
    public StageTimes? Times { get; init; }
}
