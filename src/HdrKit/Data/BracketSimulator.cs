using System.Globalization;
using HdrKit.Imaging;

namespace HdrKit.Data;

/// <summary>
/// Synthesises ghosted exposure brackets with exact ground truth from real radiance maps: a random crop of one
/// map as background, blob-shaped pieces of other maps as independently moving foreground objects, residual
/// camera shake, auto-exposure metering, and a random <see cref="CameraModel"/> per scene. Scene k of seed s is
/// the same on every machine and thread count: each scene and each frame draws from its own derived
/// <see cref="Random"/>.
/// </summary>
public sealed class BracketSimulator
{
    private readonly IReadOnlyList<RadianceMap> _maps;

    public SimulatorOptions Options { get; }

    public BracketSimulator(IReadOnlyList<RadianceMap> maps, SimulatorOptions? options = null)
    {
        if (maps.Count == 0) throw new ArgumentException("the simulator needs at least one radiance map");
        Options = options ?? new SimulatorOptions();
        Options.Validate();
        _maps = maps;
    }

    /// <summary>The name (and folder name) of scene <paramref name="index"/>, whatever the seed.</summary>
    public static string SceneName(int index) => $"scene{index:D4}";

    public SimulatedScene Simulate(long seed, int index)
    {
        var o = Options;
        var rng = SeedMixer.Create(seed, index, 0);
        int w = o.Width, h = o.Height, n = o.Exposures, reference = o.ReferenceIndex;
        double step = rng.Pick(o.EvSteps);
        var stops = Enumerable.Range(0, n).Select(i => (i - reference) * step).ToArray();

        var composition = Compose(rng, out var provenance);

        var radiance = new FloatImage[n];
        Parallel.For(0, n, f => radiance[f] = composition.Render(f));

        var camera = CameraModel.Sample(o.Camera, rng);
        double percentile = rng.Uniform(o.MeteringPercentileMin, o.MeteringPercentileMax);
        double level = rng.Uniform(o.MeteringLevelMin, o.MeteringLevelMax);
        float toGroundTruth = MeteringScale(radiance[reference], percentile, level);
        foreach (var img in radiance) ApplyGains(img, camera.WhiteBalance, toGroundTruth);

        // Segments first: the background clustering looks at radiance levels, and must not depend on the unit below.
        var segments = SegmentMap(composition, radiance[reference]);

        // Kalantari's convention: exposure.txt counts stops from the shortest exposure (0/2/4), so t_shortest = 1 and
        // the ground truth is radiance in that unit (≤ 1 wherever the shortest frame is not clipped, which is what
        // the networks' sigmoid outputs can represent). Rescaling by a power of two is exact in floating point, so
        // the frames are the same as with stops counted from the reference.
        double shortest = stops.Min();
        stops = stops.Select(s => s - shortest).ToArray();
        float toShortestUnit = MathF.Pow(2f, (float)shortest);
        foreach (var img in radiance) img.ScaleInPlace(toShortestUnit);

        var frames = new FloatImage[n];
        Parallel.For(0, n, f => frames[f] = camera.Capture(radiance[f], Math.Pow(2, stops[f]), SeedMixer.Create(seed, index, 1, f)));

        var gt = radiance[reference];
        var motion = composition.MotionMask(o.Motion.MotionThresholdPixels);

        provenance.Add(string.Create(CultureInfo.InvariantCulture, $"seed {seed}, scene {index}, {w}x{h}, stops [{string.Join(", ", stops)}], reference {reference + 1}"));
        provenance.Add(string.Create(CultureInfo.InvariantCulture, $"metering: luminance percentile {percentile:0.###} at sensor level {level:0.###} in the reference"));
        provenance.Add("camera: " + camera.Describe());
        return new SimulatedScene
        {
            Name = SceneName(index), Frames = frames, Stops = stops, ReferenceIndex = reference, GroundTruth = gt,
            Segments = segments, MotionMask = motion, Camera = camera, Provenance = provenance,
        };
    }

    private SceneComposition Compose(Random rng, out List<string> provenance)
    {
        var o = Options; var m = o.Motion;
        int w = o.Width, h = o.Height, n = o.Exposures, reference = o.ReferenceIndex;
        double side = Math.Min(w, h);
        int bgIndex = rng.Next(_maps.Count);
        var bgMap = _maps[bgIndex];
        var background = PanoramaView.RandomCrop(bgMap, w, h, rng.LogUniform(o.CropScaleMin, o.CropScaleMax), o.MaxRollDegrees, rng);
        provenance = [$"background: {bgMap.Name}"];

        var shake = new Affine2D[n];
        for (int f = 0; f < n; f++)
            shake[f] = f == reference ? Affine2D.Identity : Affine2D.About(w / 2.0, h / 2.0,
                rng.Gaussian() * m.ShakeRotationDegrees * Math.PI / 180, 1 + rng.Gaussian() * m.ShakeScale,
                rng.Gaussian() * m.ShakeTranslationPixels, rng.Gaussian() * m.ShakeTranslationPixels);
        // Drawn only when enabled, so the other presets keep their scenes bit for bit.
        if (m.CameraShiftFraction > 0)
            for (int f = 0; f < n; f++)
                if (f != reference)
                {
                    double dx = rng.Gaussian() * m.CameraShiftFraction * side, dy = rng.Gaussian() * m.CameraShiftFraction * side;
                    shake[f] = Affine2D.Translation(dx, dy) * shake[f];
                    provenance.Add(string.Create(CultureInfo.InvariantCulture, $"camera shift of frame {f + 1}: ({dx:0.#}, {dy:0.#}) px"));
                }

        int count = rng.Next(m.MinObjects, m.MaxObjects + 1);
        var objects = new List<ForegroundObject>();
        for (int k = 0; k < count; k++)
        {
            int donorIndex = _maps.Count > 1 ? (bgIndex + 1 + rng.Next(_maps.Count - 1)) % _maps.Count : bgIndex;
            var donor = _maps[donorIndex];
            var shape = BlobShape.Sample(rng.LogUniform(m.ObjectRadiusMin, m.ObjectRadiusMax) * side, m.EdgeSoftnessPixels, rng);
            int box = (int)Math.Ceiling(2 * shape.Extent);
            bool bright = rng.Chance(m.BrightObjectProbability);
            // Drawn only when enabled, so scenes of the default model keep their random sequence bit for bit.
            bool dark = !bright && m.DarkObjectProbability > 0 && rng.Chance(m.DarkObjectProbability);
            double relative = bright ? rng.LogUniform(8, 64) : dark ? rng.LogUniform(1 / 32.0, 0.25) : rng.LogUniform(0.25, 4);
            float gain = donor.MedianLuminance > 0 ? (float)(relative * bgMap.MedianLuminance / donor.MedianLuminance) : 1f;
            var crop = PanoramaView.RandomCrop(donor, box, box, rng.LogUniform(o.CropScaleMin, o.CropScaleMax), 180, rng);
            // Object coordinates are centred on the object: shift so (0,0) lands on the crop centre.
            var texture = new PanoramaView(donor, crop.ViewToMap * Affine2D.Translation(box / 2.0, box / 2.0), gain);

            bool moves = !rng.Chance(m.StaticObjectProbability);
            double cx = rng.Uniform(0.1, 0.9) * w, cy = rng.Uniform(0.1, 0.9) * h;
            // Drawn only when enabled (as below for limbs), so the other presets keep their scenes bit for bit.
            if (m.SaturatedPlacementProbability > 0 && rng.Chance(m.SaturatedPlacementProbability))
                (cx, cy) = BrightestSpot(background, w, h, rng);
            double heading = rng.Uniform(0, 2 * Math.PI), speed = moves ? rng.LogUniform(m.StepMin, m.StepMax) * side : 0;
            double turn = moves ? rng.Uniform(-1, 1) * m.RotationPerStepDegrees * Math.PI / 180 : 0;
            double grow = moves ? rng.Uniform(-1, 1) * m.ScalePerStep : 0;
            double angle0 = rng.Uniform(0, 2 * Math.PI);
            var placement = new Affine2D[n];
            for (int f = 0; f < n; f++)
            {
                int s = f - reference;
                // Real motion is not uniform: jitter each step by a fifth of the speed.
                double jx = s == 0 ? 0 : rng.Gaussian() * 0.2 * speed, jy = s == 0 ? 0 : rng.Gaussian() * 0.2 * speed;
                var world = Affine2D.Translation(cx + s * speed * Math.Cos(heading) + jx, cy + s * speed * Math.Sin(heading) + jy)
                            * Affine2D.RotationScale(angle0 + s * turn, Math.Pow(1 + grow, s));
                placement[f] = shake[f] * world;
            }
            objects.Add(new ForegroundObject(shape, texture, placement, moves));
            provenance.Add(string.Create(CultureInfo.InvariantCulture,
                $"object {k + 1}: {donor.Name}, radius {shape.Radius:0.#} px, {(moves ? $"{speed:0.#} px/step" : "static")}, brightness x{relative:0.##}"));
            if (moves && m.ArticulatedProbability > 0 && rng.Chance(m.ArticulatedProbability))
            {
                objects.Add(Limb(shape, texture, placement, reference, m, rng, out var limb));
                provenance.Add($"object {k + 1} limb: {limb}");
            }
        }
        return new SceneComposition(w, h, reference, background, shake, objects);
    }

    /// <summary>
    /// A limb hinged on the rim of a body: a thinner blob of the same texture whose placement is the body's, then a
    /// swing about the joint that grows with the distance from the reference, then the offset to the limb's centre.
    /// </summary>
    private static ForegroundObject Limb(BlobShape body, PanoramaView texture, Affine2D[] bodyPlacement, int reference,
        MotionModel m, Random rng, out string description)
    {
        var shape = BlobShape.Sample(body.Radius * rng.Uniform(0.35, 0.6), m.EdgeSoftnessPixels, rng);
        double jointAngle = rng.Uniform(0, 2 * Math.PI), reach = body.Radius * 0.9;
        double swing = rng.Uniform(-1, 1) * m.LimbSwingDegrees * Math.PI / 180;
        double length = shape.Radius * 1.2;
        var placement = new Affine2D[bodyPlacement.Length];
        for (int f = 0; f < placement.Length; f++)
        {
            double a = jointAngle + (f - reference) * swing;
            placement[f] = bodyPlacement[f] * Affine2D.Translation(reach * Math.Cos(jointAngle), reach * Math.Sin(jointAngle))
                           * Affine2D.RotationScale(a - jointAngle, 1) * Affine2D.Translation(length * Math.Cos(jointAngle), length * Math.Sin(jointAngle));
        }
        description = string.Create(CultureInfo.InvariantCulture, $"radius {shape.Radius:0.#} px, swing {swing * 180 / Math.PI:0.#}°/step");
        return new ForegroundObject(shape, texture, placement, true);
    }

    /// <summary>The centre of the brightest cell of an 8×8 grid over the background, jittered within the cell.</summary>
    private static (double X, double Y) BrightestSpot(PanoramaView background, int w, int h, Random rng)
    {
        const int cells = 8, samples = 4;
        Span<float> rgb = stackalloc float[3];
        double best = double.NegativeInfinity; int bx = 0, by = 0;
        for (int cy = 0; cy < cells; cy++)
            for (int cx = 0; cx < cells; cx++)
            {
                double sum = 0;
                for (int sy = 0; sy < samples; sy++)
                    for (int sx = 0; sx < samples; sx++)
                    {
                        background.Sample((cx + (sx + 0.5) / samples) * w / cells, (cy + (sy + 0.5) / samples) * h / cells, rgb);
                        sum += 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
                    }
                if (sum > best) { best = sum; bx = cx; by = cy; }
            }
        return ((bx + rng.NextDouble()) * w / cells, (by + rng.NextDouble()) * h / cells);
    }

    /// <summary>Scale that puts the given luminance percentile of <paramref name="radiance"/> at sensor <paramref name="level"/>.</summary>
    private static float MeteringScale(FloatImage radiance, double percentile, double level)
    {
        var lum = RadianceMap.Luminance(radiance);
        Array.Sort(lum);
        float v = lum[Math.Clamp((int)(percentile * lum.Length), 0, lum.Length - 1)];
        return v > 0 ? (float)(level / v) : 1f;
    }

    private static void ApplyGains(FloatImage img, float[] whiteBalance, float scale)
    {
        for (int c = 0; c < 3; c++)
        {
            var p = img.Plane(c);
            float g = whiteBalance[c] * scale;
            for (int i = 0; i < p.Length; i++) p[i] *= g;
        }
    }

    private LabelImage SegmentMap(SceneComposition composition, FloatImage groundTruth)
    {
        int minArea = Math.Max(16, groundTruth.PixelCount / 1000);
        var seg = new BackgroundSegmenter(Options.BackgroundClusters, minArea).Segment(groundTruth);
        ushort next = (ushort)(seg.Labels.Max() + 1);
        var coverage = composition.ReferenceCoverage();
        foreach (var plane in coverage)
        {
            bool any = false;
            for (int i = 0; i < plane.Length; i++)
                if (plane[i] >= 0.5f) { seg.Labels[i] = next; any = true; }
            if (any) next++;
        }
        return seg;
    }
}
