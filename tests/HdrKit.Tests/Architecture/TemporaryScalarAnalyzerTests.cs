using System.Collections.Immutable;
using HdrKit.Analyzers;
using HdrKit.Util;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TorchSharp;

namespace HdrKit.Tests.Architecture;

/// <summary>
/// HDRK001 (build/HdrKit.Analyzers) on snippets: it is what keeps TorchSharp's temporary-Scalar race
/// (docs/platform.md) out of every project, so it must flag each way of making a temporary and spare each way of
/// holding one.
/// </summary>
public class TemporaryScalarAnalyzerTests
{
    [Theory]
    [InlineData("return x * 0.5;", "0.5")]
    [InlineData("return 1 - x;", "1")]
    [InlineData("return x > 0;", "0")]
    [InlineData("return x.clamp(0, 1);", "0,1")]
    [InlineData("return x.mul(0.5.ToScalar());", "0.5.ToScalar()")]
    [InlineData("double s = 2; x += s; return x;", "s")]
    [InlineData("var s = 0.5.ToScalar(); return x.mul(s);", "0.5.ToScalar()")]
    public void FlagsTemporaries(string body, string flagged)
    {
        var found = Diagnose(body).Select(d => d.GetMessage().Split('\'')[1]).ToArray();
        Assert.Equal(flagged.Split(','), found);
    }

    [Theory]
    [InlineData("return x * Scalars.Of(0.5);")]
    [InlineData("return Scalars.Of(1) - x;")]
    [InlineData("using var s = 0.5.ToScalar(); return x.mul(s);")]
    [InlineData("return x.mul(Half);")]
    [InlineData("return x * y;")]
    [InlineData("return x.sum(0);")]
    public void SparesHeldScalars(string body) => Assert.Empty(Diagnose(body));

    private static ImmutableArray<Diagnostic> Diagnose(string body)
    {
        var source = $$"""
            using HdrKit.Util;
            using TorchSharp;
            using static TorchSharp.torch;
            static class Snippet
            {
                static readonly Scalar Half = 0.5;
                static Tensor Run(Tensor x, Tensor y) { {{body}} }
            }
            """;
        var platform = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var references = platform.Append(typeof(torch).Assembly.Location).Append(typeof(Scalars).Assembly.Location)
            .Distinct().Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Snippet", [CSharpSyntaxTree.ParseText(source)], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join("\n", errors.Select(e => e.ToString())));
        return compilation.WithAnalyzers([new TemporaryScalarAnalyzer()]).GetAnalyzerDiagnosticsAsync().Result;
    }
}
