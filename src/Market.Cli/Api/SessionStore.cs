using System.Text.Json;
using System.Text.Json.Nodes;

namespace Market.Cli.Api;

/// <summary>
/// Bearer tokens from sign-in, cached per API URL and address in ~/.config/market/session.json
/// (owner-only), so consecutive commands do not sign in again. A token is a short-lived credential,
/// never the key.
/// </summary>
internal sealed class SessionStore(string directory)
{
    private string FilePath => Path.Combine(directory, "session.json");

    public string? Get(string api, string address, DateTimeOffset now)
    {
        var entry = Load()[Key(api, address)];
        if (entry?["token"]?.GetValue<string>() is not { } token) return null;
        var expires = entry["expiresAt"]?.GetValue<long>() ?? 0;
        return expires > now.AddSeconds(60).ToUnixTimeSeconds() ? token : null;
    }

    public void Put(string api, string address, string token, DateTimeOffset expiresAt)
    {
        var all = Load();
        all[Key(api, address)] = new JsonObject { ["token"] = token, ["expiresAt"] = expiresAt.ToUnixTimeSeconds() };
        Save(all);
    }

    public void Forget(string api, string address)
    {
        var all = Load();
        if (all.Remove(Key(api, address))) Save(all);
    }

    private static string Key(string api, string address) => $"{api.TrimEnd('/')}|{address.ToLowerInvariant()}";

    private JsonObject Load()
    {
        try { return File.Exists(FilePath) ? JsonNode.Parse(File.ReadAllText(FilePath)) as JsonObject ?? [] : []; }
        catch (JsonException) { return []; } // a damaged cache only costs a new sign-in
    }

    private void Save(JsonObject all) => Cli.PrivateFile.Write(FilePath, all.ToJsonString(), overwrite: true);
}
