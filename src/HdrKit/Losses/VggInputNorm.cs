namespace HdrKit.Losses;

/// <summary>How a VGG19 weight set expects its input; a mismatch silently degrades every feature.</summary>
public enum VggInputNorm
{
    /// <summary>Keras / original Caffe weights: BGR, 0–255, minus the ImageNet mean [103.939, 116.779, 123.68].</summary>
    Caffe,
    /// <summary>torchvision weights: RGB in [0,1], minus mean [0.485, 0.456, 0.406], divided by std [0.229, 0.224, 0.225].</summary>
    Torchvision,
}
