using HdrKit.Exposure;
using HdrKit.Imaging;

namespace HdrKit.Classical;

/// <summary>
/// Rejects pixels of non-reference frames that contradict the reference (moving objects), so the merge follows
/// the reference frame's geometry. In the spirit of Kalantari &amp; Ramamoorthi 2017's reference-guided merge and
/// Luminance HDR's anti-ghosting, without optical flow:
///
/// 1. Each frame's radiance f⁻¹(z)/t is compared with the reference's, channel by channel, with a noise model:
///    a camera code has noise <see cref="DeghostOptions.CodeNoise"/>, which f⁻¹'s slope and 1/t carry into
///    radiance; a frame disagrees when the difference exceeds Threshold·σ plus a relative tolerance. Clipped
///    codes still bound the radiance (a saturated code says "at least f⁻¹(high)/t"), which catches bright
///    objects moving into a frame's clipped region.
/// 2. Where the reference is well exposed, every disagreeing frame is rejected and the reference is used.
/// 3. Where the reference is clipped, it cannot predict. The usable frame nearest in exposure that respects the
///    reference's clipping bound becomes the anchor; other frames are kept only where they agree with both the
///    anchor and the reference. The anchor is never rejected there, so some data always remains.
/// 4. Rejections are dilated and feathered into soft acceptance maps so ghost borders go and no seams appear.
/// </summary>
public static class Deghosting
{
    /// <summary>A frame needs at least this mean hat weight to serve as an anchor where the reference is clipped.</summary>
    private const float MinAnchorWeight = 0.05f;

    public static GhostDetection Detect(Bracket bracket, CameraResponse response, DeghostOptions? options = null)
    {
        options ??= new DeghostOptions();
        options.Validate();
        if (response.Channels != 3) throw new ArgumentException($"the camera response has {response.Channels} channels, the frames 3", nameof(response));
        int n = bracket.Count, w = bracket.Width, h = bracket.Height, plane = w * h, r = bracket.ReferenceIndex;
        var model = new NoiseModel(bracket, response, options);
        var reject = new byte[n][];
        var protect = new byte[n][];
        for (int i = 0; i < n; i++) { reject[i] = new byte[plane]; protect[i] = new byte[plane]; }
        var logT = bracket.ExposureSeconds.Select(t => Math.Log(t)).ToArray();

        Parallel.For(0, h, () => new PixelSamples(n), (y, _, px) =>
        {
            for (int p = y * w, end = p + w; p < end; p++)
            {
                model.Load(px, p);
                if (px.AllGood(r))
                {
                    for (int i = 0; i < n; i++)
                        if (i != r && !model.Agree(px, r, i)) reject[i][p] = 1;
                    continue;
                }
                int anchor = -1;
                bool anchorAgrees = false;
                for (int pass = 0; pass < 2 && anchor < 0; pass++)
                {
                    double bestDistance = double.MaxValue;
                    for (int i = 0; i < n; i++)
                    {
                        if (i == r || px.Hat[i] < MinAnchorWeight) continue;
                        if (pass == 0 && !model.Agree(px, r, i)) continue;
                        double distance = Math.Abs(logT[i] - logT[r]);
                        if (distance < bestDistance) { bestDistance = distance; anchor = i; }
                    }
                    anchorAgrees = pass == 0;
                }
                if (anchor < 0) continue; // nothing usable anywhere: the merge's fallback handles it
                protect[anchor][p] = 1;
                for (int i = 0; i < n; i++)
                {
                    if (i == r || i == anchor) continue;
                    bool keep = model.Agree(px, anchor, i) && (!anchorAgrees || model.Agree(px, r, i));
                    if (!keep) reject[i][p] = 1;
                }
            }
            return px;
        }, _ => { });

        var acceptance = new float[]?[n];
        var ghost = new FloatImage(w, h, 1);
        var g = ghost.Data;
        for (int i = 0; i < n; i++)
        {
            if (i == r) continue;
            var soft = MaskFilters.Soften(reject[i], w, h, options.DilateRadius, options.FeatherRadius);
            var a = new float[plane];
            for (int p = 0; p < plane; p++)
            {
                float rejected = protect[i][p] != 0 ? 0f : soft[p];
                a[p] = 1f - rejected;
                if (rejected > g[p]) g[p] = rejected;
            }
            acceptance[i] = a;
        }
        return new GhostDetection(acceptance, ghost);
    }

    /// <summary>One pixel's codes, radiance estimates and noise in every frame (reused per thread, no allocation per pixel).</summary>
    private sealed class PixelSamples(int frames)
    {
        public readonly float[] Code = new float[frames * 3];
        public readonly float[] Radiance = new float[frames * 3];
        public readonly float[] Sigma = new float[frames * 3];
        public readonly sbyte[] State = new sbyte[frames * 3]; // −1 black, 0 well exposed, +1 saturated
        public readonly float[] Hat = new float[frames];

        public bool AllGood(int frame) => State[frame * 3] == 0 && State[frame * 3 + 1] == 0 && State[frame * 3 + 2] == 0;
    }

    private sealed class NoiseModel
    {
        private readonly Bracket _bracket;
        private readonly CameraResponse _response;
        private readonly DeghostOptions _o;
        private readonly float[] _invT;
        private readonly float[] _saturatedAt; // [frame*3+c]: radiance at which the frame clips (f⁻¹(high)/t)
        private readonly float[] _blackBelow;  // [frame*3+c]: radiance below which the frame reads black (f⁻¹(low)/t)

        public NoiseModel(Bracket bracket, CameraResponse response, DeghostOptions options)
        {
            _bracket = bracket; _response = response; _o = options;
            int n = bracket.Count;
            _invT = bracket.ExposureSeconds.Select(t => (float)(1 / t)).ToArray();
            _saturatedAt = new float[n * 3];
            _blackBelow = new float[n * 3];
            for (int i = 0; i < n; i++)
                for (int c = 0; c < 3; c++)
                {
                    _saturatedAt[i * 3 + c] = response.ToLinear(c, options.HighCode) * _invT[i];
                    _blackBelow[i * 3 + c] = response.ToLinear(c, options.LowCode) * _invT[i];
                }
        }

        public void Load(PixelSamples px, int p)
        {
            int plane = _bracket.Width * _bracket.Height;
            for (int i = 0; i < _bracket.Count; i++)
            {
                var d = _bracket.Frames[i].Data;
                for (int c = 0; c < 3; c++)
                {
                    int k = i * 3 + c;
                    float z = d[c * plane + p];
                    px.Code[k] = z;
                    px.Radiance[k] = _response.ToLinear(c, z) * _invT[i];
                    // The slope at the band's lower edge stands in below it: a gamma curve's slope vanishes at 0.
                    px.Sigma[k] = _response.Slope(c, Math.Max(z, _o.LowCode)) * _o.CodeNoise * _invT[i];
                    px.State[k] = (sbyte)(z < _o.LowCode ? -1 : z > _o.HighCode ? 1 : 0);
                }
                px.Hat[i] = ExposureWeight.HatRgb(px.Code[i * 3], px.Code[i * 3 + 1], px.Code[i * 3 + 2]);
            }
        }

        /// <summary>Whether frames a and b can show the same radiance at this pixel, in every channel.</summary>
        public bool Agree(PixelSamples px, int a, int b)
        {
            for (int c = 0; c < 3; c++)
                if (!AgreeChannel(px, a * 3 + c, b * 3 + c)) return false;
            return true;
        }

        private bool AgreeChannel(PixelSamples px, int ka, int kb)
        {
            sbyte sa = px.State[ka], sb = px.State[kb];
            float ea = px.Radiance[ka], eb = px.Radiance[kb];
            float tol = _o.RelativeTolerance, k = _o.Threshold;
            if (sa == 0 && sb == 0)
            {
                float sigma = MathF.Sqrt(px.Sigma[ka] * px.Sigma[ka] + px.Sigma[kb] * px.Sigma[kb]);
                return MathF.Abs(ea - eb) <= k * sigma + tol * MathF.Max(ea, eb);
            }
            if (sa == 0) return WithinBound(ea, px.Sigma[ka], sb, _saturatedAt[kb], _blackBelow[kb]);
            if (sb == 0) return WithinBound(eb, px.Sigma[kb], sa, _saturatedAt[ka], _blackBelow[ka]);
            // Both clipped: only "saturated in the one, black in the other" can contradict.
            if (sa == sb) return true;
            float atLeast = sa > 0 ? _saturatedAt[ka] : _saturatedAt[kb];
            float atMost = sa < 0 ? _blackBelow[ka] : _blackBelow[kb];
            return atLeast <= atMost * (1 + tol);
        }

        // A measured radiance e against a clipped frame: saturated means the radiance is at least the clip level,
        // black means at most the black level.
        private bool WithinBound(float e, float sigma, sbyte clipped, float saturatedAt, float blackBelow)
        {
            float slack = _o.Threshold * sigma + _o.RelativeTolerance * e;
            return clipped > 0 ? e + slack >= saturatedAt : e - slack <= blackBelow;
        }
    }
}
