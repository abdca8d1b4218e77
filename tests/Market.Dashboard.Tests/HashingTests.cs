using System.Text;
using System.Text.Json;
using Market.Chain;
using Market.Chain.Crypto;
using Market.Chain.Json;
using Market.TestSupport;

namespace Market.Dashboard.Tests;

/// <summary>
/// The browser must hash a spec to the very bytes the API hashes, or every signed bid is refused:
/// the dashboard's canonical.js and keccak.js (run by Node) against Market.Chain's CanonicalJson and Keccak256.
/// </summary>
public sealed class HashingTests
{
    private static readonly string[] Specs =
    [
        """{"version":1,"image":"busybox:latest","command":["sh","-c","echo $((6 * 7))"],"env":{},"computeType":0,"milliNcu":1000,"maxDurationSec":60}""",
        """{ "milliNcu": 1, "z": 1, "a": [3, 2, 1], "B": {"y": null, "x": true, "w": false}, "aa": -9007199254740991, "é": "ünïcödé ✓ 😀" }""",
        """{"milliNcu": 1, "\u00e9": 1, "\uff5a": 2, "\ud83d\ude00": 3, "e": 4, "E": 5, "": 6}""",
        """{"milliNcu": 1, "s": "quote \" backslash \\ tab \t nl \n cr \r bs \b ff \f ctl \u0001 \u001f del \u007f sep \u2028 slash /"}""",
        """{"computeType":1,"work":{"gflop":7200,"deadlineSec":3600},"maxDurationSec":7200,"image":"x","command":["x"],"constraints":{"regions":["eu-west"],"minUptimeBps":9900,"startLatency":"fast"}}""",
        """{"milliNcu":1e3,"big":1.0E2,"maxDurationSec":1,"constraints":{}}""",
        """{"milliNcu":2000000,"maxDurationSec":1,"constraints":null}""",
        """{"milliNcu":499,"maxDurationSec":1}""",
        "{\"milliNcu\":10000,\"maxDurationSec\":1,\"long\":\"" + new string('x', 500) + "\"}",
    ];

    private static readonly int[] Grades = [3, 4, 4, 4, 4, 3, 1, 4, 2];

    [Fact]
    public async Task The_browser_hashes_specs_exactly_as_the_api_does()
    {
        var output = await NodeScript.RunAsync("tests/dashboard/hashing.mjs", [], JsonSerializer.Serialize(Specs));
        var results = JsonDocument.Parse(output).RootElement.EnumerateArray().ToList();
        Assert.Equal(Specs.Length, results.Count);
        for (int i = 0; i < Specs.Length; i++)
        {
            var r = results[i];
            Assert.False(r.TryGetProperty("error", out var err), $"spec {i}: {err}");
            var canonical = CanonicalJson.Canonicalize(Specs[i]);
            Assert.Equal(canonical, r.GetProperty("canonical").GetString());
            Assert.Equal(Hex.Encode(Keccak256.Hash(Encoding.UTF8.GetBytes(canonical))), r.GetProperty("jobSpecHash").GetString());
            using var doc = JsonDocument.Parse(Specs[i]);
            var expectedConstraints = doc.RootElement.TryGetProperty("constraints", out var c) && c.ValueKind != JsonValueKind.Null
                ? Hex.Encode(Keccak256.Hash(Encoding.UTF8.GetBytes(CanonicalJson.Serialize(c)))) : "0x" + new string('0', 64);
            Assert.Equal(expectedConstraints, r.GetProperty("constraintsHash").GetString());
            Assert.Equal(Grades[i], r.GetProperty("grade").GetInt32());
        }
        Assert.Equal("4", results[4].GetProperty("milliNcu").GetString()); // work: ceil(2 × 7200 GFLOP / 3600 s)
    }

    [Theory]
    [InlineData("""{"price":1.5,"maxDurationSec":1,"milliNcu":1}""", "integers")]
    [InlineData("""{"n":9007199254740992,"maxDurationSec":1,"milliNcu":1}""", "integers")]
    [InlineData("""[1,2]""", "object")]
    [InlineData("""{"maxDurationSec":1}""", "milliNcu")]
    public async Task What_the_api_would_refuse_the_browser_refuses_before_signing(string spec, string message)
    {
        var output = await NodeScript.RunAsync("tests/dashboard/hashing.mjs", [], JsonSerializer.Serialize(new[] { spec }));
        var r = JsonDocument.Parse(output).RootElement[0];
        Assert.Contains(message, r.GetProperty("error").GetString());
    }
}
