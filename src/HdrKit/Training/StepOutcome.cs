namespace HdrKit.Training;

/// <summary>A step's total loss and its named parts (unweighted), already copied off the device.</summary>
public sealed record StepOutcome(double Loss, IReadOnlyDictionary<string, double> Terms);
