using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>
/// The SwinIR-family initialisation the references apply to the whole network (model.apply(_init_weights)):
/// every Linear gets truncated-normal weights (std 0.02) and zero bias; LayerNorms start at identity.
/// Matters only when training from scratch.
/// </summary>
public static class SwinInit
{
    public static void Apply(nn.Module root)
    {
        using var noGrad = no_grad();
        foreach (var (_, module) in root.named_modules())
        {
            if (module is Linear linear)
            {
                nn.init.trunc_normal_(linear.weight!, std: 0.02);
                if (linear.bias is not null) nn.init.zeros_(linear.bias);
            }
        }
    }
}
