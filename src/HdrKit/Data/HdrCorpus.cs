using HdrKit.Imaging;
using HdrKit.Util;

namespace HdrKit.Data;

/// <summary>
/// A collection of linear radiance maps the simulator draws scenes from: the 18 bundled CC0 panoramas in
/// data/hdri, or any folders of .hdr/.pfm/.exr files a user points it at (listed float TIFFs are read too). Maps whose names are in
/// <see cref="ValidationMaps"/> form the held-out split the fixed validation set is made from; training never
/// sees them.
/// </summary>
public sealed class HdrCorpus
{
    /// <summary>
    /// Held out of training: one urban daylight exterior, one interior lit by lamps and windows, one low-sun
    /// exterior with 25 stops. Chosen to cover the kinds of scene in the corpus, not for being easy.
    /// </summary>
    public static readonly IReadOnlyList<string> ValidationMaps = ["city", "lobby", "sunset"];

    // Float TIFFs are left out of folder scans: the same folders often hold 16-bit LDR TIFFs.
    private static readonly string[] Extensions = [".hdr", ".pic", ".pfm", ".exr"];

    public IReadOnlyList<RadianceMap> Maps { get; }

    public HdrCorpus(IReadOnlyList<RadianceMap> maps)
    {
        if (maps.Count == 0) throw new ArgumentException("the HDR corpus is empty");
        var dup = maps.GroupBy(m => m.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (dup != null) throw new ArgumentException($"two radiance maps are named '{dup.Key}'; names must be unique");
        Maps = maps;
    }

    /// <summary>The bundled maps: data/hdri in the repository, else data/hdri in the <see cref="DataFolder"/>.</summary>
    public static string? BundledFolder()
    {
        if (RepoPaths.Root != null)
        {
            var p = Path.Combine(RepoPaths.Root, "data", "hdri");
            if (Directory.Exists(p) && Directory.EnumerateFiles(p, "*.hdr").Any()) return p;
        }
        return DataFolder.Find("data", "hdri");
    }

    public static HdrCorpus LoadBundled() =>
        Load([BundledFolder() ?? throw new DirectoryNotFoundException("the bundled HDR maps (data/hdri) were not found; pass --hdri FOLDER")]);

    /// <summary>Every radiance file directly in the given folders (or the files themselves), sorted by name.</summary>
    public static HdrCorpus Load(IEnumerable<string> foldersOrFiles, Func<string, FloatImage>? reader = null)
    {
        reader ??= ReadRadiance;
        var files = new List<string>();
        foreach (var p in foldersOrFiles)
        {
            if (Directory.Exists(p))
                files.AddRange(Directory.EnumerateFiles(p).Where(f => Extensions.Contains(Path.GetExtension(f).ToLowerInvariant())));
            else if (File.Exists(p)) files.Add(p);
            else throw new DirectoryNotFoundException($"HDR source '{p}' is neither a folder nor a file");
        }
        if (files.Count == 0)
            throw new FileNotFoundException($"no radiance maps ({string.Join(", ", Extensions)}) in {string.Join(", ", foldersOrFiles)}");
        files.Sort(StringComparer.Ordinal); // same order, hence same scenes, on every file system
        var maps = new RadianceMap[files.Count];
        Parallel.For(0, files.Count, i => maps[i] = new RadianceMap(Path.GetFileNameWithoutExtension(files[i]), reader(files[i])));
        return new HdrCorpus(maps);
    }

    /// <summary>Training split: every map not held out for validation.</summary>
    public HdrCorpus TrainingSplit() => Subset(m => !IsValidation(m.Name), "training");

    /// <summary>Validation split: the held-out maps; falls back to none-found error for user corpora without them.</summary>
    public HdrCorpus ValidationSplit() => Subset(m => IsValidation(m.Name), "validation");

    public static bool IsValidation(string name) => ValidationMaps.Contains(name, StringComparer.OrdinalIgnoreCase);

    private HdrCorpus Subset(Func<RadianceMap, bool> keep, string split)
    {
        var maps = Maps.Where(keep).ToArray();
        if (maps.Length == 0)
            throw new ArgumentException($"the corpus has no {split} maps (held-out names: {string.Join(", ", ValidationMaps)})");
        return new HdrCorpus(maps);
    }

    private static FloatImage ReadRadiance(string path) => HdrImageFile.Read(path);
}
