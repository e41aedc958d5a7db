using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace HdrKit.Models.Blocks;

/// <summary>Blocks applied in sequence (the reference's BasicLayer; name: blocks.{i}).</summary>
public sealed class SwinBlockStack : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<SwinBlock> blocks;

    public SwinBlockStack(IEnumerable<SwinBlock> items) : base(nameof(SwinBlockStack))
    {
        blocks = nn.ModuleList(items.ToArray());
        RegisterComponents();
    }

    public IReadOnlyList<SwinBlock> Blocks => blocks.ToList();

    public override Tensor forward(Tensor x)
    {
        // Each block disposes its own temporaries; here only the hand-over tensors are released.
        var y = x;
        foreach (var block in blocks)
        {
            var next = block.forward(y);
            if (!ReferenceEquals(y, x)) y.Dispose();
            y = next;
        }
        return y;
    }
}
