using HdrKit.Losses;
using static TorchSharp.torch;

namespace HdrKit.Training;

/// <summary>Builds the `loss:` section into a <see cref="CompositeLoss"/> on the training device.</summary>
public static class TrainingLosses
{
    public static CompositeLoss Create(LossConfig config, Device device)
    {
        var loss = new CompositeLoss();
        if (config.MuL1 > 0) loss.Add(new MuLawL1Loss(config.Mu), config.MuL1);
        if (config.LinearL1 > 0) loss.Add(new MaskedL1Loss(), config.LinearL1);
        if (config.Perceptual > 0)
        {
            var path = config.VggWeights ?? Vgg19Weights.DefaultPath
                ?? throw new ArgumentException("loss.perceptual > 0 but no VGG19 weights: set loss.vgg_weights (tfjs folder or torchvision-named .safetensors)");
            using var weights = Vgg19Weights.Load(path);
            loss.Add(new VggPerceptualLoss(weights, config.PerceptualLayers, config.Mu).To(device), config.Perceptual);
        }
        return loss;
    }
}
