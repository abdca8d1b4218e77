using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Cli.Cli;
using Market.Cli.Yaml;

namespace Market.Cli.Jobs;

/// <summary>Reads a job spec from .json, or .yaml/.yml through <see cref="MiniYaml"/>; any failure is a usage error (exit 2).</summary>
internal static class SpecFile
{
    public static JsonObject Read(string path)
    {
        if (!File.Exists(path)) throw CliException.Usage($"spec file {path} does not exist");
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw CliException.Usage($"cannot read spec file {path}: {e.Message}"); }
        var ext = Path.GetExtension(path).ToLowerInvariant();
        JsonNode? node;
        try
        {
            node = ext is ".yaml" or ".yml" ? MiniYaml.Parse(text)
                : JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        }
        catch (YamlException e) { throw CliException.Usage($"spec {path}: {e.Message}"); }
        catch (JsonException e) { throw CliException.Usage($"spec {path} is not valid JSON: {e.Message}"); }
        return node as JsonObject ?? throw CliException.Usage($"spec {path} must be an object (image, command, milliNcu or work, maxDurationSec, …)");
    }
}
