namespace HdrKit.Tests.Training;

/// <summary>
/// Tests that seed, consume or compare torch's process-wide generator (training runs, resume, checkpoints)
/// run alone: a parallel test drawing random numbers would change their draws.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGeneratorCollection
{
    public const string Name = "torch global generator";
}
