using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using HdrKit.Imaging;
using HdrKit.Weights;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace HdrKit.Semantic;

/// <summary>
/// The semantic knowledge bank (SKB) of the knowledge-transfer paper, shared by SMHDR's masking and the
/// semi-supervised method: a frozen <see cref="ISemanticBackend"/> for multi-scale features and classes plus a
/// class-agnostic segmenter for "segment everything" maps. Input: tonemapped reference exposures, sRGB-like
/// [0,1]. Results can be cached on disk per scene (keyed by a hash of the input and every setting), so
/// training reads them instead of recomputing them each epoch.
/// </summary>
public sealed class SemanticKnowledgeBank : IDisposable
{
    private const string CachePrefix = "skb-";
    private readonly FelzenszwalbSegmenter _segmenter;

    public ISemanticBackend Backend { get; }
    public FelzenszwalbOptions SegmenterOptions => _segmenter.Options;

    public SemanticKnowledgeBank(ISemanticBackend backend, FelzenszwalbOptions? segmenter = null)
    {
        Backend = backend;
        _segmenter = new FelzenszwalbSegmenter(segmenter);
    }

    public SemanticPriors Compute(FloatImage reference) => Compute([reference])[0];

    /// <summary>Computes priors for several references; same-size images go through the backend together.</summary>
    public IReadOnlyList<SemanticPriors> Compute(IReadOnlyList<FloatImage> references, int batchSize = 4)
    {
        if (batchSize < 1) throw new ArgumentException($"batch size must be ≥ 1, got {batchSize}");
        foreach (var r in references) CheckReference(r);
        var result = new SemanticPriors[references.Count];
        var groups = Enumerable.Range(0, references.Count).GroupBy(i => (references[i].Width, references[i].Height));
        foreach (var group in groups)
            foreach (var chunk in group.Chunk(batchSize))
            {
                using var scope = torch.NewDisposeScope();
                var batch = torch.stack(chunk.Select(i => references[i].ToTensor()).ToArray());
                using var raw = Backend.Forward(batch);
                for (int j = 0; j < chunk.Length; j++)
                {
                    var features = raw.Features.Select(f => f[j].cpu()).ToArray();
                    var logits = raw.ClassLogits?[j].cpu();
                    result[chunk[j]] = Expand(references[chunk[j]], features, logits, segments: null).Detach();
                }
            }
        return result;
    }

    /// <summary>
    /// Priors for <paramref name="reference"/>, read from <paramref name="cacheDir"/> when a cache file with the
    /// same key exists, else computed and written there (atomically).
    /// </summary>
    public SemanticPriors GetOrCompute(FloatImage reference, string cacheDir)
    {
        CheckReference(reference);
        var path = CachePath(reference, cacheDir);
        if (File.Exists(path)) return LoadCached(reference, path);

        using var scope = torch.NewDisposeScope();
        var batch = reference.ToTensor().unsqueeze(0);
        using var raw = Backend.Forward(batch);
        var features = raw.Features.Select(f => f[0].cpu()).ToArray();
        var logits = raw.ClassLogits?[0].cpu();
        var priors = Expand(reference, features, logits, segments: null);

        Directory.CreateDirectory(cacheDir);
        var tensors = new Dictionary<string, Tensor>();
        for (int i = 0; i < features.Length; i++) tensors[$"features.{Backend.FeatureInfo[i].Name}"] = features[i].to(ScalarType.Float16);
        if (logits is not null) tensors["class_logits"] = logits.to(ScalarType.Float16);
        // Segment ids fit 16 bits for any sensible segmenter; half the bytes of a 1920×1080 map.
        var ids = torch.tensor(priors.Segments.Ids, [reference.Height, reference.Width], ScalarType.Int32);
        tensors["segments"] = priors.Segments.Count <= short.MaxValue ? ids.to(ScalarType.Int16) : ids;
        SafeTensors.Save(path, tensors, new Dictionary<string, string>
        {
            ["backend"] = Backend.Id,
            ["segmenter"] = SegmenterOptions.Key,
            ["size"] = $"{reference.Width}x{reference.Height}",
            ["segment_count"] = priors.Segments.Count.ToString(),
            ["segment_rest_id"] = priors.Segments.RestId?.ToString() ?? "",
        });
        return priors.Detach();
    }

    /// <summary>The cache file for a reference: skb-&lt;first 16 hex digits of SHA-256(settings, size, pixels)&gt;.safetensors.</summary>
    public string CachePath(FloatImage reference, string cacheDir) => Path.Combine(cacheDir, $"{CachePrefix}{CacheKey(reference)}.safetensors");

    public string CacheKey(FloatImage reference)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes($"{Backend.Id}|{SegmenterOptions.Key}|{reference.Width}x{reference.Height}x{reference.Channels}|"));
        sha.AppendData(MemoryMarshal.AsBytes(reference.Data.AsSpan()));
        return Convert.ToHexStringLower(sha.GetHashAndReset())[..16];
    }

    private SemanticPriors LoadCached(FloatImage reference, string path)
    {
        using var scope = torch.NewDisposeScope();
        var tensors = SafeTensors.Load(path, out var meta);
        try
        {
            if (meta.GetValueOrDefault("backend") != Backend.Id || meta.GetValueOrDefault("segmenter") != SegmenterOptions.Key)
                throw new InvalidDataException($"{path} was written by different SKB settings; delete it to recompute");
            var features = Backend.FeatureInfo.Select(fi => tensors.TryGetValue($"features.{fi.Name}", out var t) ? t.to(ScalarType.Float32)
                : throw new InvalidDataException($"{path} lacks features.{fi.Name}")).ToArray();
            var logits = tensors.TryGetValue("class_logits", out var l) ? l.to(ScalarType.Float32) : null;
            var seg = tensors.TryGetValue("segments", out var s) ? s : throw new InvalidDataException($"{path} lacks the segment map");
            var ids = seg.to(ScalarType.Int32).data<int>().ToArray();
            int count = int.Parse(meta.GetValueOrDefault("segment_count") ?? throw new InvalidDataException($"{path} lacks segment_count"));
            int? rest = int.TryParse(meta.GetValueOrDefault("segment_rest_id"), out var r) ? r : null;
            var segments = new SegmentMap(reference.Width, reference.Height, ids, count, rest);
            return Expand(reference, features, logits, segments).Detach();
        }
        finally
        {
            foreach (var t in tensors.Values) t.Dispose();
        }
    }

    /// <summary>
    /// Resamples backend outputs to the reference's grid (align-corners bilinear, DeepLab's convention),
    /// turns logits into probabilities and a class map, and segments unless a cached map is given.
    /// </summary>
    private SemanticPriors Expand(FloatImage reference, Tensor[] features, Tensor? logits, SegmentMap? segments)
    {
        int h = reference.Height, w = reference.Width;
        using var scope = torch.NewDisposeScope();
        var onGrid = new Tensor[features.Length];
        for (int i = 0; i < features.Length; i++)
        {
            int s = Backend.FeatureInfo[i].Reduction;
            long fh = (h + s - 1) / s, fw = (w + s - 1) / s;
            onGrid[i] = F.interpolate(features[i].unsqueeze(0), [fh, fw], mode: InterpolationMode.Bilinear, align_corners: true)
                .squeeze(0).contiguous().MoveToOuterDisposeScope();
        }
        Tensor? probs = null;
        int[]? classMap = null;
        if (logits is not null)
        {
            var up = F.interpolate(logits.unsqueeze(0), [h, w], mode: InterpolationMode.Bilinear, align_corners: true).squeeze(0);
            probs = up.softmax(0).contiguous().MoveToOuterDisposeScope();
            classMap = up.argmax(0).to(ScalarType.Int32).contiguous().data<int>().ToArray();
        }
        segments ??= _segmenter.Segment(reference, classMap);
        return new SemanticPriors(w, h, onGrid, probs, classMap, Backend.ClassNames, segments);
    }

    private static void CheckReference(FloatImage r)
    {
        if (r.Channels != 3) throw new ArgumentException($"the reference exposure must be RGB, got {r.Channels} channels");
    }

    public void Dispose() => Backend.Dispose();
}
