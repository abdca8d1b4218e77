using System;
using System.Collections.Generic;
using System.Linq;

namespace Market.Chain.Generators;

/// <summary>One ABI parameter as the generator sees it.</summary>
internal sealed class Param
{
    public string Name = "";
    public string Type = "";          // as in the JSON ABI, e.g. "tuple[]", "uint256"
    public string? InternalType;      // e.g. "struct ILeaseTypes.Bid[]"
    public bool Indexed;
    public List<Param> Components = new List<Param>();

    /// <summary>The canonical type for signatures: tuples expanded, e.g. "(address,uint8)[]".</summary>
    public string Canonical => Type.StartsWith("tuple", StringComparison.Ordinal)
        ? "(" + string.Join(",", Components.Select(c => c.Canonical)) + ")" + Type.Substring(5)
        : Type;

    public static Param From(JsonObject o) => new Param
    {
        Name = o.Str("name") ?? "",
        Type = o.Str("type") ?? "",
        InternalType = o.Str("internalType"),
        Indexed = o["indexed"] is bool b && b,
        Components = o.List("components").OfType<JsonObject>().Select(From).ToList(),
    };
}

/// <summary>A function, event or error entry.</summary>
internal sealed class Entry
{
    public string Kind = "";
    public string Name = "";
    public List<Param> Inputs = new List<Param>();
    public List<Param> Outputs = new List<Param>();
    public string StateMutability = "nonpayable";
    public bool Anonymous;
    public int Index;                 // position among entries of the same kind in ContractAbi

    public string Signature => Name + "(" + string.Join(",", Inputs.Select(i => i.Canonical)) + ")";
    public bool IsReadOnly => StateMutability == "view" || StateMutability == "pure";
}

/// <summary>A contract artifact: name, ABI entries, the ABI's JSON text.</summary>
internal sealed class Artifact
{
    public string ContractName = "";
    public string AbiJson = "[]";
    /// <summary>No deployable bytecode ("0x"): an abstract contract or an interface, which needs no binding.</summary>
    public bool IsAbstract;
    public List<Entry> Functions = new List<Entry>();
    public List<Entry> Events = new List<Entry>();
    public List<Entry> Errors = new List<Entry>();

    public static Artifact Parse(string text)
    {
        if (!(MiniJson.Parse(text) is JsonObject root)) throw new FormatException("artifact is not a JSON object");
        var name = root.Str("contractName") ?? throw new FormatException("artifact has no contractName");
        var abi = root["abi"] as List<object?> ?? throw new FormatException("artifact has no abi array");
        var a = new Artifact { ContractName = name, AbiJson = MiniJson.Write(abi), IsAbstract = root.Str("bytecode") == "0x" };
        foreach (var o in abi.OfType<JsonObject>())
        {
            var e = new Entry
            {
                Kind = o.Str("type") ?? "function",
                Name = o.Str("name") ?? "",
                Inputs = o.List("inputs").OfType<JsonObject>().Select(Param.From).ToList(),
                Outputs = o.List("outputs").OfType<JsonObject>().Select(Param.From).ToList(),
                StateMutability = o.Str("stateMutability") ?? "nonpayable",
                Anonymous = o["anonymous"] is bool an && an,
            };
            // Index = position in ContractAbi's list of that kind (same order as the JSON).
            switch (e.Kind)
            {
                case "function": e.Index = a.Functions.Count; a.Functions.Add(e); break;
                case "event": e.Index = a.Events.Count; a.Events.Add(e); break;
                case "error": e.Index = a.Errors.Count; a.Errors.Add(e); break;
            }
        }
        return a;
    }
}
