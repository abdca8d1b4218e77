using System.Collections.Immutable;
using System.Text;
using Market.Chain.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Market.Chain.Tests.Generators;

/// <summary>
/// Runs the binding generator on synthetic artifacts with the awkward cases our contracts do not
/// have yet (overloads, anonymous tuples, nested struct arrays, keywords as names, indexed dynamic
/// event values, shared errors) and compiles the result against Market.Chain with no diagnostics.
/// </summary>
public class BindingGeneratorTests
{
    private const string ArtifactA = """
    {"contractName":"Widget","abi":[
      {"type":"constructor","inputs":[{"name":"x","type":"uint256"}]},
      {"type":"function","name":"get","stateMutability":"view","inputs":[{"name":"event","type":"uint8"}],"outputs":[{"name":"","type":"tuple","internalType":"struct Widget.Part","components":[{"name":"id","type":"uint40"},{"name":"tags","type":"string[]"},{"name":"sub","type":"tuple[2]","internalType":"struct Lib.Sub[2]","components":[{"name":"a","type":"int24"},{"name":"b","type":"bytes"}]}]}]},
      {"type":"function","name":"set","stateMutability":"nonpayable","inputs":[{"name":"parts","type":"tuple[]","internalType":"struct Widget.Part[]","components":[{"name":"id","type":"uint40"},{"name":"tags","type":"string[]"},{"name":"sub","type":"tuple[2]","internalType":"struct Lib.Sub[2]","components":[{"name":"a","type":"int24"},{"name":"b","type":"bytes"}]}]}],"outputs":[]},
      {"type":"function","name":"set","stateMutability":"payable","inputs":[{"name":"","type":"uint256"},{"name":"","type":"tuple","components":[{"name":"p","type":"address"},{"name":"q","type":"bool"}]}],"outputs":[{"name":"ok","type":"bool"},{"name":"","type":"bytes32"}]},
      {"type":"function","name":"ping","stateMutability":"nonpayable","inputs":[{"name":"block","type":"uint256"},{"name":"ct","type":"uint256"},{"name":"gas","type":"uint256"}],"outputs":[]},
      {"type":"event","name":"Changed","anonymous":false,"inputs":[{"name":"who","type":"address","indexed":true},{"name":"note","type":"string","indexed":true},{"name":"data","type":"bytes","indexed":false}]},
      {"type":"error","name":"Oops","inputs":[{"name":"message","type":"string"},{"name":"data","type":"uint256[]"}]},
      {"type":"error","name":"Shared","inputs":[{"name":"who","type":"address"}]}
    ]}
    """;

    private const string ArtifactB = """
    {"contractName":"Gadget","abi":[
      {"type":"function","name":"touch","stateMutability":"nonpayable","inputs":[],"outputs":[]},
      {"type":"error","name":"Shared","inputs":[{"name":"who","type":"address"}]}
    ]}
    """;

    private sealed class Text(string path, string content) : AdditionalText
    {
        public override string Path => path;
        public override SourceText GetText(CancellationToken ct = default) => SourceText.From(content, Encoding.UTF8);
    }

    [Fact]
    public void Generated_code_compiles_cleanly_for_awkward_abis()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(p => MetadataReference.CreateFromFile(p)).Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(Address).Assembly.Location))
            .ToList();
        var compilation = CSharpCompilation.Create("Bindings", [CSharpSyntaxTree.ParseText("namespace Probe; class P { }")], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var driver = CSharpGeneratorDriver.Create(
            [new ContractBindingGenerator().AsSourceGenerator()],
            [new Text("/repo/artifacts/contracts/Widget.sol/Widget.json", ArtifactA), new Text("/repo/artifacts/contracts/Gadget.sol/Gadget.json", ArtifactB),
             new Text("/repo/artifacts/contracts/Widget.sol/Widget.dbg.json", "not json")],
            CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Latest));
        driver.RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);

        Assert.Empty(generatorDiagnostics);
        var problems = output.GetDiagnostics().Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems.Take(10)));
        var names = output.SyntaxTrees.Select(t => Path.GetFileName(t.FilePath)).ToList();
        Assert.Contains("Widget.Service.g.cs", names);
        Assert.Contains("Common.Errors.g.cs", names);
        var all = string.Join("\n", output.SyntaxTrees.Select(t => t.ToString()));
        Assert.Contains("class Set1Function", all);
        Assert.Contains("class Set2OutputDTO", all);
        Assert.Contains("class Part : global::Market.Chain.Abi.IAbiTuple", all);
        Assert.Contains("class SharedException", all);
        Assert.Contains("public byte[] Note { get; set; }", all); // indexed string → its hash
    }

    [Fact]
    public void An_unreadable_artifact_is_a_build_error()
    {
        var driver = CSharpGeneratorDriver.Create([new ContractBindingGenerator().AsSourceGenerator()],
            [new Text("/repo/artifacts/contracts/Bad.sol/Bad.json", "{\"contractName\": "), new Text("/repo/artifacts/contracts/Worse.sol/Worse.json", "{")]);
        driver.RunGeneratorsAndUpdateCompilation(CSharpCompilation.Create("X"), out _, out var diagnostics);
        Assert.Equal(2, diagnostics.Count(d => d.Id == "MCG001" && d.Severity == DiagnosticSeverity.Error));
    }
}
