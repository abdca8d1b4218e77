using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Market.Chain.Crypto;
using Org.BouncyCastle.Crypto.Generators;

namespace Market.Chain.Keystore;

/// <summary>
/// Web3 Secret Storage v3 (the geth/ethers keystore JSON): scrypt or PBKDF2-HMAC-SHA256, then
/// AES-128-CTR under the first 16 derived bytes, MAC = Keccak(derived[16..32] ‖ ciphertext).
/// The passphrase is NFKC-normalized UTF-8, as ethers does.
/// </summary>
public static class KeyStoreV3
{
    public static string Encrypt(EthKey key, string passphrase, KdfParameters? kdf = null, Guid? id = null)
    {
        kdf ??= new ScryptParameters();
        var salt = RandomNumberGenerator.GetBytes(32);
        var iv = RandomNumberGenerator.GetBytes(16);
        var derived = Derive(passphrase, salt, kdf);
        var ciphertext = AesCtr(derived.AsSpan(0, 16), iv, key.PrivateKey);
        var mac = Mac(derived, ciphertext);
        JsonObject kdfParams = kdf switch
        {
            ScryptParameters s => new JsonObject { ["dklen"] = s.DkLen, ["n"] = s.N, ["p"] = s.P, ["r"] = s.R, ["salt"] = Hex.Encode(salt, false) },
            Pbkdf2Parameters p => new JsonObject { ["c"] = p.Iterations, ["dklen"] = p.DkLen, ["prf"] = "hmac-sha256", ["salt"] = Hex.Encode(salt, false) },
            _ => throw new KeystoreException("unknown KDF"),
        };
        var json = new JsonObject
        {
            ["address"] = key.Address.ToLowerHex()[2..],
            ["id"] = (id ?? Guid.NewGuid()).ToString(),
            ["version"] = 3,
            ["crypto"] = new JsonObject
            {
                ["cipher"] = "aes-128-ctr",
                ["cipherparams"] = new JsonObject { ["iv"] = Hex.Encode(iv, false) },
                ["ciphertext"] = Hex.Encode(ciphertext, false),
                ["kdf"] = kdf is ScryptParameters ? "scrypt" : "pbkdf2",
                ["kdfparams"] = kdfParams,
                ["mac"] = Hex.Encode(mac, false),
            },
        };
        return json.ToJsonString();
    }

    /// <summary>Decrypts a v3 keystore; a wrong passphrase (MAC mismatch) throws <see cref="KeystoreException"/>.</summary>
    public static EthKey Decrypt(string json, string passphrase)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException ex) { throw new KeystoreException("keystore is not valid JSON", ex); }
        try
        {
            if (root?["version"]?.GetValue<int>() != 3) throw new KeystoreException("only version 3 keystores are supported");
            var crypto = root["crypto"] ?? root["Crypto"] ?? throw new KeystoreException("keystore has no crypto section");
            if (Str(crypto, "cipher") != "aes-128-ctr") throw new KeystoreException($"unsupported cipher {Str(crypto, "cipher")}");
            var p = crypto["kdfparams"] ?? throw new KeystoreException("keystore has no kdfparams");
            var salt = Hex.Decode(Str(p, "salt"));
            int dkLen = p["dklen"]?.GetValue<int>() ?? 32;
            KdfParameters kdf = Str(crypto, "kdf") switch
            {
                "scrypt" => new ScryptParameters { N = Int(p, "n"), R = Int(p, "r"), P = Int(p, "p"), DkLen = dkLen },
                "pbkdf2" when Str(p, "prf") == "hmac-sha256" => new Pbkdf2Parameters { Iterations = Int(p, "c"), DkLen = dkLen },
                var other => throw new KeystoreException($"unsupported kdf {other} (prf {p["prf"]})"),
            };
            if (dkLen < 32) throw new KeystoreException("dklen must be at least 32");
            var ciphertext = Hex.Decode(Str(crypto, "ciphertext"));
            var iv = Hex.Decode(Str(crypto["cipherparams"] ?? throw new KeystoreException("no cipherparams"), "iv"), 16);
            var derived = Derive(passphrase, salt, kdf);
            var expectedMac = Hex.Decode(Str(crypto, "mac"), 32);
            if (!CryptographicOperations.FixedTimeEquals(Mac(derived, ciphertext), expectedMac))
                throw new KeystoreException("wrong passphrase (keystore MAC mismatch)");
            var key = new EthKey(AesCtr(derived.AsSpan(0, 16), iv, ciphertext));
            if (Str(root, "address") is { Length: 40 } addr && !string.Equals(addr, key.Address.ToLowerHex()[2..], StringComparison.OrdinalIgnoreCase))
                throw new KeystoreException("keystore address does not match its key");
            return key;
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or HexFormatException or SignatureException)
        {
            throw new KeystoreException($"malformed keystore: {ex.Message}", ex);
        }
    }

    private static byte[] Derive(string passphrase, byte[] salt, KdfParameters kdf)
    {
        var password = Encoding.UTF8.GetBytes(Normalize(passphrase));
        switch (kdf)
        {
            case ScryptParameters s:
                if (s.N < 2 || (s.N & (s.N - 1)) != 0 || s.R < 1 || s.P < 1 || (long)s.N * s.R > 1 << 24)
                    throw new KeystoreException($"unsupported scrypt parameters n={s.N} r={s.R} p={s.P}");
                return SCrypt.Generate(password, salt, s.N, s.R, s.P, s.DkLen);
            case Pbkdf2Parameters p:
                if (p.Iterations < 1 || p.Iterations > 10_000_000) throw new KeystoreException($"unsupported pbkdf2 iteration count {p.Iterations}");
                return Rfc2898DeriveBytes.Pbkdf2(password, salt, p.Iterations, HashAlgorithmName.SHA256, p.DkLen);
            default: throw new KeystoreException("unknown KDF");
        }
    }

    private static string Normalize(string s)
    {
        foreach (var c in s) if (c > 0x7f) return s.Normalize(NormalizationForm.FormKC);
        return s;
    }

    private static byte[] Mac(byte[] derived, byte[] ciphertext) => Keccak256.Hash([.. derived.AsSpan(16, 16), .. ciphertext]);

    /// <summary>AES-128-CTR with a 128-bit big-endian counter starting at the IV.</summary>
    private static byte[] AesCtr(ReadOnlySpan<byte> key16, byte[] iv, byte[] input)
    {
        using var aes = Aes.Create();
        aes.Key = key16.ToArray();
        var counter = (byte[])iv.Clone();
        var output = new byte[input.Length];
        var block = new byte[16];
        for (int offset = 0; offset < input.Length; offset += 16)
        {
            aes.EncryptEcb(counter, block, PaddingMode.None);
            for (int i = 0; i < 16 && offset + i < input.Length; i++) output[offset + i] = (byte)(input[offset + i] ^ block[i]);
            for (int i = 15; i >= 0 && ++counter[i] == 0; i--) { }
        }
        return output;
    }

    private static string Str(JsonNode? node, string name) =>
        node?[name]?.GetValue<string>() ?? throw new KeystoreException($"keystore is missing '{name}'");

    private static int Int(JsonNode node, string name) => node[name]?.GetValue<int>() ?? throw new KeystoreException($"keystore is missing '{name}'");
}
