using System.Security.Cryptography;
using System.Text.Json;

namespace ProviderAgent.Images;

/// <summary>
/// What an archive says about one image: its config blob, its layers in order and any names.
/// Read from either a `docker save` tarball (manifest.json) or an OCI image layout (index.json).
/// </summary>
internal sealed record ImageManifest(string Format, string ConfigPath, string ConfigDigest, IReadOnlyList<(string Path, string Name)> Layers, IReadOnlyList<string> Names)
{
    public static ImageManifest Read(StagedArchive archive)
    {
        try
        {
            // Docker ≥ 25 writes both files; manifest.json then names the same OCI blobs.
            if (archive.Contains("manifest.json")) return ReadDockerSave(archive);
            if (archive.Contains("index.json")) return ReadOci(archive);
        }
        catch (JsonException e) { throw new ImageImportException($"malformed image archive: invalid JSON ({e.Message})", e); }
        catch (KeyNotFoundException e) { throw new ImageImportException($"malformed image archive: a required field is missing ({e.Message})", e); }
        catch (InvalidOperationException e) { throw new ImageImportException($"malformed image archive: a field has the wrong type ({e.Message})", e); }
        throw new ImageImportException("malformed image archive: neither manifest.json (docker save) nor index.json (OCI layout) found");
    }

    private static ImageManifest ReadDockerSave(StagedArchive archive)
    {
        using var doc = JsonDocument.Parse(archive.ReadText("manifest.json", "docker manifest"));
        if (doc.RootElement.ValueKind != JsonValueKind.Array || doc.RootElement.GetArrayLength() == 0)
            throw new ImageImportException("malformed image archive: manifest.json must be a non-empty array");
        if (doc.RootElement.GetArrayLength() > 1)
            throw new ImageImportException("image archive holds several images; import them one at a time");
        var m = doc.RootElement[0];
        string config = m.GetProperty("Config").GetString() ?? throw new KeyNotFoundException("Config");
        string configPath = archive.Require(config, "config");
        var layers = m.GetProperty("Layers").EnumerateArray()
            .Select(l => l.GetString() ?? throw new KeyNotFoundException("Layers[]"))
            .Select(l => (archive.Require(l, "layer"), l)).ToList();
        var names = m.TryGetProperty("RepoTags", out var tags) && tags.ValueKind == JsonValueKind.Array
            ? tags.EnumerateArray().Select(t => t.GetString()).OfType<string>().ToList() : [];
        return new ImageManifest("docker-save", configPath, Sha256File(configPath), layers, names);
    }

    private static ImageManifest ReadOci(StagedArchive archive)
    {
        if (!archive.Contains("oci-layout")) throw new ImageImportException("malformed OCI layout: oci-layout file is missing");
        using var index = JsonDocument.Parse(archive.ReadText("index.json", "OCI index"));
        var manifests = index.RootElement.GetProperty("manifests");
        if (manifests.GetArrayLength() == 0) throw new ImageImportException("malformed OCI layout: index.json lists no manifests");
        if (manifests.GetArrayLength() > 1) throw new ImageImportException("OCI layout holds several manifests; import one image at a time");
        var desc = manifests[0];
        var names = new List<string>();
        if (desc.TryGetProperty("annotations", out var ann) && ann.TryGetProperty("org.opencontainers.image.ref.name", out var refName)
            && refName.GetString() is { Length: > 0 } r)
            names.Add(r.Contains(':') || r.Contains('/') ? r : $"localhost/image:{r}"); // a bare tag names no repository
        using var manifest = JsonDocument.Parse(File.ReadAllText(Blob(archive, desc, "manifest")));
        var config = manifest.RootElement.GetProperty("config");
        string configPath = Blob(archive, config, "config");
        var layers = manifest.RootElement.GetProperty("layers").EnumerateArray()
            .Select(l => (Blob(archive, l, "layer"), l.GetProperty("digest").GetString()!)).ToList();
        return new ImageManifest("oci", configPath, Sha256File(configPath), layers, names);
    }

    // Blobs are content-addressed: the file must hash to its digest, or the layout was tampered with.
    private static string Blob(StagedArchive archive, JsonElement descriptor, string what)
    {
        string digest = descriptor.GetProperty("digest").GetString() ?? throw new KeyNotFoundException("digest");
        if (!digest.StartsWith("sha256:", StringComparison.Ordinal) || !ImageReference.LooksLikeDigest(digest) || digest.Length != 71)
            throw new ImageImportException($"malformed OCI layout: {what} digest '{digest}' is not a sha256 digest");
        string path = archive.Require($"blobs/sha256/{digest[7..]}", what);
        if (Sha256File(path) != digest) throw new ImageImportException($"OCI blob {digest} does not match its content, refused");
        return path;
    }

    public static string Sha256File(string path)
    {
        using var f = File.OpenRead(path);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(f));
    }
}
