using HdrKit.Exposure;
using HdrKit.Imaging;
using HdrKit.Util;

namespace HdrKit.Classical;

/// <summary>
/// The no-network path of `hdrkit merge`: MTB alignment → inverse camera response (γ model or Debevec–Malik
/// calibration) → reference-guided deghosting → weighted radiance merge. Progress goes from 0 to 1.
/// </summary>
public sealed class ClassicalMerger(ClassicalMergeOptions? options = null)
{
    public ClassicalMergeOptions Options { get; } = options ?? new ClassicalMergeOptions();

    public ClassicalMergeResult Merge(Bracket bracket, IProgress<double>? progress = null, CancellationToken cancellation = default)
    {
        var o = Options;
        progress?.Report(0);
        var shifts = Enumerable.Repeat((0, 0), bracket.Count).ToArray();
        if (o.Align)
        {
            var aligned = new MtbAlignment(o.AlignmentLevels).Align(bracket, ProgressSlice.Of(progress, 0.0, 0.3));
            bracket = aligned.Aligned;
            shifts = aligned.Shifts.ToArray();
        }
        cancellation.ThrowIfCancellationRequested();

        var response = o.Response ?? CameraResponse.FromGamma();
        if (o.CalibrateResponse) response = DebevecCalibration.Calibrate(bracket);
        progress?.Report(0.35);
        cancellation.ThrowIfCancellationRequested();

        GhostDetection? ghosts = o.Deghost ? Deghosting.Detect(bracket, response, o.Deghosting) : null;
        progress?.Report(0.7);
        cancellation.ThrowIfCancellationRequested();

        var radiance = DebevecMerge.Merge(bracket, response, ghosts?.Acceptance, o.Averaging);
        float tRef = (float)bracket.ExposureSeconds[bracket.ReferenceIndex];
        var d = radiance.Data;
        for (int i = 0; i < d.Length; i++) d[i] *= tRef;
        progress?.Report(1);
        return new ClassicalMergeResult(radiance, ghosts?.GhostMask ?? new FloatImage(bracket.Width, bracket.Height, 1), shifts, response);
    }
}
