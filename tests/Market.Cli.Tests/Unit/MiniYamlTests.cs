using System.Text.Json.Nodes;
using Market.Cli.Yaml;

namespace Market.Cli.Tests.Unit;

public sealed class MiniYamlTests
{
    private static string Json(string yaml) => MiniYaml.Parse(yaml)!.ToJsonString();

    [Fact]
    public void A_job_spec_reads_as_the_same_JSON_the_API_gets()
    {
        const string yaml = """
            # a busybox job
            image: busybox:latest
            command: ["sh", "-c", "echo $((6*7))"]
            env:
              GREETING: 'it''s "quoted"'
              PATH_LIKE: /usr/bin:/bin   # trailing comment
            milliNcu: 800
            maxDurationSec: 600
            network: false
            resources:
              memoryMb: 128
            constraints:
              regions:
                - eu-west
                - "us-east"
              minUptimeBps: 9000
            """;
        var expected = JsonNode.Parse("""
            {"image":"busybox:latest","command":["sh","-c","echo $((6*7))"],"env":{"GREETING":"it's \"quoted\"","PATH_LIKE":"/usr/bin:/bin"},
             "milliNcu":800,"maxDurationSec":600,"network":false,"resources":{"memoryMb":128},
             "constraints":{"regions":["eu-west","us-east"],"minUptimeBps":9000}}
            """)!.ToJsonString();
        Assert.Equal(expected, Json(yaml));
    }

    [Fact]
    public void Lists_of_maps_block_lists_under_keys_and_literal_blocks()
    {
        const string yaml = """
            items:
            - name: a
              n: 1
            - name: "b: c"
            script: |
              echo one
                indented
              echo two
            stripped: |-
              last
            empty: []
            none: {}
            nothing:
            tilde: ~
            negative: -5
            escaped: "tab\there\u0041"
            """;
        Assert.Equal("""{"items":[{"name":"a","n":1},{"name":"b: c"}],"script":"echo one\n  indented\necho two\n","stripped":"last","empty":[],"none":{},"nothing":null,"tilde":null,"negative":-5,"escaped":"tab\there\u0041"}""".Replace("\\u0041", "A"),
            Json(yaml));
    }

    [Fact]
    public void Nested_sequences_and_quoted_keys()
    {
        Assert.Equal("""[["a","b"],{"k y":"v"}]""", Json("- - a\n  - b\n- \"k y\": v\n"));
    }

    [Theory]
    [InlineData("a: 1\n\tb: 2", 2, "tabs")]
    [InlineData("a: 1.5", 1, "only integers")]
    [InlineData("a: 1\na: 2", 2, "duplicate key 'a'")]
    [InlineData("a: 1\n    b: 2", 2, "indentation")]
    [InlineData("a: \"open", 1, "unterminated")]
    [InlineData("a: [1, 2", 1, "must end with ]")]
    [InlineData("a: &anchor x", 1, "not supported")]
    [InlineData("a: {b: 1}", 1, "flow maps")]
    [InlineData("a: 1\n---\nb: 2", 2, "one document")]
    [InlineData("just words", 1, "expected")]
    public void Unsupported_or_broken_YAML_names_the_line(string yaml, int line, string message)
    {
        var e = Assert.Throws<YamlException>(() => MiniYaml.Parse(yaml));
        Assert.Equal(line, e.Line);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void Quoted_numbers_stay_strings_and_versions_stay_text()
    {
        Assert.Equal("""{"a":"42","b":"1.2.3","c":"v1"}""", Json("a: \"42\"\nb: 1.2.3\nc: v1"));
    }
}
