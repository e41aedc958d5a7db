using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace HdrKit.Analyzers;

/// <summary>
/// Forbids TorchSharp Scalars that nothing holds across the native call that reads them.
/// </summary>
/// <remarks>
/// TorchSharp (0.107 and its main branch) reads a Scalar's native handle and then calls libtorch without
/// <c>GC.KeepAlive</c>. A Scalar made on the fly (<c>x * 0.5</c>, <c>x.mul(0.5.ToScalar())</c>) is unreachable from
/// that moment, so a collection triggered by any other thread lets the finalizer free it while libtorch still reads it:
/// "toFloat/toLong (Scalar.h:140)" or a segfault, at random. Every Scalar must therefore live in a field or in a
/// <c>using</c> local for the duration of the call (docs/platform.md).
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TemporaryScalarAnalyzer : DiagnosticAnalyzer
{
    public const string Id = "HDRK001";

    private static readonly DiagnosticDescriptor Rule = new(
        Id,
        "Temporary TorchSharp Scalar",
        "'{1}' ({0}) makes a TorchSharp Scalar that nothing holds during the native call, so the finalizer may free it "
            + "while libtorch reads it; use a Scalar kept in a field (HdrKit.Util.Scalars) or a 'using' local",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        helpLinkUri: "docs/platform.md");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var scalar = start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
            if (scalar is null)
                return;
            start.RegisterOperationAction(c => CheckConversion(c, scalar), OperationKind.Conversion);
            start.RegisterOperationAction(c => CheckInvocation(c, scalar), OperationKind.Invocation);
            var tensor = start.Compilation.GetTypeByMetadataName("TorchSharp.torch+Tensor");
            if (tensor is not null)
                start.RegisterOperationAction(
                    c => CheckOperator(c, tensor), OperationKind.Binary, OperationKind.CompoundAssignment);
        });
    }

    private static void CheckConversion(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var conversion = (IConversionOperation)context.Operation;
        if (!conversion.Conversion.IsUserDefined
            || !SymbolEqualityComparer.Default.Equals(conversion.Type, scalar)
            || IsHeld(conversion))
            return;
        Report(context, conversion.Operand, "conversion");
    }

    private static void CheckInvocation(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name != "ToScalar"
            || !SymbolEqualityComparer.Default.Equals(method.ReturnType, scalar)
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, scalar.ContainingAssembly)
            || IsHeld(invocation))
            return;
        Report(context, invocation, "call");
    }

    /// <summary>
    /// TorchSharp's own <c>Tensor * double</c>-style operators convert the number inside TorchSharp, out of this
    /// analyzer's sight of the conversion, so the operator itself is the temporary.
    /// </summary>
    private static void CheckOperator(OperationAnalysisContext context, INamedTypeSymbol tensor)
    {
        var (method, left, right) = context.Operation switch
        {
            IBinaryOperation b => (b.OperatorMethod, b.LeftOperand, b.RightOperand),
            ICompoundAssignmentOperation a => (a.OperatorMethod, a.Target, a.Value),
            _ => (null, null, null),
        };
        if (method is null || !SymbolEqualityComparer.Default.Equals(method.ContainingType, tensor))
            return;
        if (IsNumber(method.Parameters[0].Type))
            Report(context, left!, "operator");
        if (IsNumber(method.Parameters[1].Type))
            Report(context, right!, "operator");
    }

    private static void Report(OperationAnalysisContext context, IOperation number, string kind)
    {
        while (number is IConversionOperation { IsImplicit: true } inner)
            number = inner.Operand;
        context.ReportDiagnostic(Diagnostic.Create(
            Rule, number.Syntax.GetLocation(), number.ConstantValue.HasValue ? kind + ", constant" : kind, number.Syntax.ToString()));
    }

    private static bool IsNumber(ITypeSymbol type) => type.SpecialType is SpecialType.System_Int32
        or SpecialType.System_Int64 or SpecialType.System_Single or SpecialType.System_Double;

    /// <summary>A Scalar is held when it initialises a field, a property, a <c>using</c> local or is returned.</summary>
    private static bool IsHeld(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation { Conversion.IsUserDefined: false })
            parent = parent.Parent;
        switch (parent)
        {
            case IFieldInitializerOperation:
            case IPropertyInitializerOperation:
            case IReturnOperation:
                return true;
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation }:
                return true;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Parent: IVariableDeclarationOperation declaration } }:
                return declaration.Parent is IVariableDeclarationGroupOperation { Parent: IUsingDeclarationOperation or IUsingOperation };
            default:
                return false;
        }
    }
}
