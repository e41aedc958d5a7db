using HdrKit.Inference;
using HdrKit.Data;
using HdrKit.Exposure;
using HdrKit.Models;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>
/// Whole validation scenes from a Kalantari-layout folder (e.g. `hdrkit simulate --preset validation`), scored
/// as `hdrkit eval` scores them. Scenes are read once and kept as images; tensors are built per request.
/// The ground truth is in the shortest exposure's unit, which is the networks' output unit: NetworkInput puts
/// a bracket's shortest exposure at t = 1 for every origin.
/// </summary>
public sealed class FolderValidationSource : IValidationSource
{
    private readonly List<SimulatedScene> _scenes;
    private readonly NetworkInputSpec _spec;

    public FolderValidationSource(string folder, NetworkInputSpec spec)
        : this(KalantariScene.FindScenes(folder).Select(p => KalantariScene.Read(p, readExtras: false)), spec)
    {
    }

    /// <summary>Scenes already in memory (the synthetic source's generated validation scenes).</summary>
    public FolderValidationSource(IEnumerable<SimulatedScene> scenes, NetworkInputSpec spec)
    {
        _scenes = scenes.ToList();
        _spec = spec;
    }

    public int Count => _scenes.Count;

    public ValidationSample Get(int index, Device device)
    {
        var scene = _scenes[index];
        var bracket = scene.ToBracket();
        return new ValidationSample(scene.Name, NetworkInput.Build(bracket, _spec).to(device), scene.GroundTruth.ToTensor().unsqueeze(0).to(device));
    }
}
