using System.Text.Json;
using System.Text.Json.Serialization;

namespace ProviderAgent.Images;

public sealed partial class ImageStore
{
    /// <summary>Reads the runtime-relevant part of an image config blob; absent fields are empty.</summary>
    internal static ImageConfig ParseConfig(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("config", out var c) || c.ValueKind != JsonValueKind.Object)
                return ImageConfig.Empty;
            return new ImageConfig(Strings(c, "Env"), Strings(c, "Entrypoint"), Strings(c, "Cmd"),
                Str(c, "WorkingDir"), Str(c, "User"));
        }
        catch (JsonException e) { throw new ImageImportException($"malformed image config: {e.Message}", e); }

        static List<string> Strings(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
                ? v.EnumerateArray().Select(x => x.GetString()).OfType<string>().ToList() : [];
        static string Str(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
    }
}

[JsonSourceGenerationOptions(WriteIndented = true)]
[JsonSerializable(typeof(ImageRecord))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StoreJson : JsonSerializerContext;
