using System.Numerics;
using Market.TestSupport;

namespace Market.Cli.Tests.Functional;

/// <summary>What a consumer does with `market` against a real chain and a real Market.Api.</summary>
[Collection(CliStackCollection.Name)]
public sealed class ConsumerFlowTests(CliStack stack)
{
    private const string Passphrase = "correct horse battery staple 12";

    private const string SpecYaml = """
        # computes 6 × 7 in busybox
        image: busybox:latest
        command: ["sh", "-c", "echo $((6*7))"]
        milliNcu: 800
        maxDurationSec: 600
        constraints:
          minUptimeBps: 0
        """;

    private string Write(string name, string text)
    {
        var path = Path.Combine(stack.Dir, Guid.NewGuid().ToString("N")[..8] + "-" + name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public async Task Import_deposit_submit_follow_and_withdraw()
    {
        var key = DevelopmentKeys.Key(12);
        var cli = stack.Runner(Passphrase);
        var imported = await cli.RunAsync("account", "import", "--key-file", Write("key.txt", key.PrivateKeyHex + "\n"), "--json");
        Assert.True(imported.Code == 0, imported.ToString());
        Assert.Equal(key.Address.ToString(), imported.Json["address"]!.GetValue<string>());

        var deposit = await cli.RunAsync("deposit", "100", "--json");
        Assert.True(deposit.Code == 0, deposit.ToString());
        Assert.Equal("100000000", deposit.Json["balances"]!["escrowFree"]!.GetValue<string>());
        Assert.StartsWith("0x", deposit.Json["tx"]!.GetValue<string>());

        // Straight after the deposit: the API's indexer may not have seen it yet; the CLI waits for it.
        var submit = await cli.RunAsync("job", "submit", Write("spec.yaml", SpecYaml), "--max-price", "3", "--deadline", "30m", "--request-id", "cli-test-1", "--json");
        Assert.True(submit.Code == 0, submit.ToString());
        var jobId = submit.Json["jobId"]!.GetValue<long>();

        var again = await cli.RunAsync("job", "submit", Write("spec.json", """{"image":"busybox:latest","command":["true"],"computeType":1,"milliNcu":600,"maxDurationSec":60}"""),
            "--max-price", "2500000", "--base-units");
        Assert.True(again.Code == 0, again.ToString());
        var second = long.Parse(again.Out.Trim());

        var list = await cli.RunAsync("job", "list", "--json");
        Assert.True(list.Code == 0, list.ToString());
        var ids = list.Json.AsArray().Select(j => j!["id"]!.GetValue<long>()).ToList();
        Assert.Contains(jobId, ids);
        Assert.Contains(second, ids);
        Assert.Contains(jobId.ToString(), (await cli.RunAsync("job", "list")).Out);

        var status = await cli.RunAsync("job", "status", jobId.ToString(), "--json");
        Assert.True(status.Code == 0, status.ToString());
        Assert.Equal("3000000", status.Json["maxPricePerNcuHour"]!.GetValue<string>());
        Assert.NotEmpty(status.Json["timeline"]!.AsArray()); // it may already have matched the stack's offer
        var readable = await cli.RunAsync("job", "status", jobId.ToString());
        Assert.Contains("timeline", readable.Out);

        // No Parallel offers here: those bids rest until cancelled or timed out.
        var cancel = await cli.RunAsync("job", "cancel", second.ToString(), "--json");
        Assert.True(cancel.Code == 0, cancel.ToString());
        var settlement = await cli.RunAsync("job", "settlement", second.ToString(), "--json");
        Assert.True(settlement.Code == 0, settlement.ToString());
        Assert.Equal("unleased", settlement.Json["state"]!.GetValue<string>());
        Assert.Contains("unleased", (await cli.RunAsync("job", "settlement", second.ToString())).Out);
        var logs = await cli.RunAsync("job", "logs", second.ToString(), "--json");
        Assert.True(logs.Code == 0, logs.ToString());
        Assert.Empty(logs.Json.AsArray());
        var result = await cli.RunAsync("job", "result", second.ToString());
        Assert.True(result.Code == 3 && result.Err.Contains("error: no-result:"), result.ToString());

        // Signed in once, the cached session serves later commands without the passphrase.
        var cached = await cli.With("MARKET_PASSPHRASE", "").RunAsync("job", "status", second.ToString(), "--json");
        Assert.True(cached.Code == 0, cached.ToString());
        Assert.Equal("cancelled", cached.Json["status"]!.GetValue<string>());
        var waited = await cli.RunAsync("job", "submit", Write("w.json", """{"image":"busybox:latest","command":["true"],"computeType":1,"milliNcu":600,"maxDurationSec":60}"""),
            "--max-price", "2", "--deadline", "2m", "--wait", "--timeout", "2s", "--json");
        Assert.True(waited.Code == 4, waited.ToString());
        Assert.Contains("after 2 s", waited.Err);

        var balance = await cli.RunAsync("balance", "--json");
        Assert.True(balance.Code == 0, balance.ToString());
        var withdraw = await cli.RunAsync("withdraw", "1.5", "--json");
        Assert.True(withdraw.Code == 0, withdraw.ToString());
        // The wallet's tokens move only by deposit and withdraw (escrow locks change as leases open).
        Assert.Equal(BigInteger.Parse(balance.Json["wallet"]!.GetValue<string>()) + 1_500_000,
            BigInteger.Parse(withdraw.Json["balances"]!["wallet"]!.GetValue<string>()));

        var tooMuch = await cli.RunAsync("withdraw", "1000000");
        Assert.True(tooMuch.Code == 3, tooMuch.ToString());
        Assert.Contains("error: LeaseEscrowInsufficientBalance", tooMuch.Err);

        var statement = await cli.RunAsync("statement", "--format", "csv");
        Assert.True(statement.Code == 0, statement.ToString());
        var table = await cli.RunAsync("statement");
        Assert.True(table.Code == 0 && table.Out.Contains("statement of " + key.Address.ToLowerHex()), table.ToString());
        Assert.Equal(2, (await cli.RunAsync("statement", "--from", "2026-01-01")).Code);

        AssertNoSecrets(cli, key.PrivateKeyHex);
    }

    [Fact]
    public async Task New_account_show_and_the_passphrase_guards_the_key()
    {
        var cli = stack.Runner(Passphrase);
        var created = await cli.RunAsync("account", "new", "--scrypt-n", "1024");
        Assert.True(created.Code == 0, created.ToString());
        var address = created.Out.Split(' ')[0];

        var show = await cli.RunAsync("account", "show", "--json");
        Assert.True(show.Code == 0, show.ToString());
        Assert.Equal(address, show.Json["address"]!.GetValue<string>());
        Assert.Equal("31337", show.Json["chainId"]!.GetValue<string>());
        Assert.Equal("0", show.Json["balances"]!["escrowFree"]!.GetValue<string>());
        Assert.Contains(address, (await cli.RunAsync("account", "show")).Out);

        Assert.Equal(2, (await cli.RunAsync("account", "new", "--scrypt-n", "1024")).Code);
        var wrong = await cli.With("MARKET_PASSPHRASE", "not it").RunAsync("deposit", "1");
        Assert.True(wrong.Code == 2, wrong.ToString());
        Assert.Contains("cannot open the keystore", wrong.Err);
        var fromFile = await cli.RunAsync("deposit", "1", "--passphrase-file", Write("pass", Passphrase + "\n"));
        Assert.True(fromFile.Code == 3, fromFile.ToString()); // the key opened; a fresh wallet holds no tokens
        Assert.Contains("insufficient-token-balance", fromFile.Err);

        // A signed-in wallet with no escrow is refused by the API, with its problem code.
        var refused = await cli.RunAsync("job", "submit", Write("s.yaml", SpecYaml), "--max-price", "3");
        Assert.True(refused.Code == 3, refused.ToString());
        Assert.Contains("error: insufficient-escrow:", refused.Err);

        AssertNoSecrets(cli);
    }

    [Fact]
    public async Task Bad_input_is_a_usage_error_and_refusals_name_their_code()
    {
        var cli = stack.Runner(Passphrase);
        Assert.Equal(0, (await cli.RunAsync("account", "import", "--key-file", Write("k", DevelopmentKeys.PrivateKeys[13]))).Code);
        Assert.Equal(0, (await cli.RunAsync("deposit", "5")).Code);

        async Task Expect(int code, string text, params string[] args)
        {
            var r = await cli.RunAsync(args);
            Assert.True(r.Code == code && r.Err.Contains(text), $"{string.Join(' ', args)}: {r}");
        }
        await Expect(2, "line 2: tabs", "job", "submit", Write("bad.yaml", "image: x\n\tcommand: y\n"), "--max-price", "1");
        await Expect(2, "not valid JSON", "job", "submit", Write("bad.json", "{\"image\": "), "--max-price", "1");
        await Expect(2, "does not exist", "job", "submit", "/nonexistent/spec.json", "--max-price", "1");
        await Expect(2, "maxDurationSec is required", "job", "submit", Write("nodur.json", """{"image":"x","command":["x"],"milliNcu":5}"""), "--max-price", "1");
        await Expect(2, "--max-price", "job", "submit", Write("ok.json", "{}"));
        await Expect(2, "not in the future", "job", "submit", Write("p.json", """{"milliNcu":5,"maxDurationSec":5}"""), "--max-price", "1", "--deadline", "1000000000");
        await Expect(2, "more than the token's 6 decimals", "deposit", "0.0000001");
        await Expect(2, "must be a number", "withdraw", "lots");
        await Expect(2, "--type must be one of", "offers", "--type", "quantum");
        await Expect(2, "does not hold a 32-byte hex private key", "account", "import", "--key-file", Write("notakey", "hello"));
        await Expect(2, "Unrecognized command", "jobs");
        await Expect(3, "error: validation:", "job", "submit", Write("img.json", """{"image":"NOT AN IMAGE","command":["x"],"milliNcu":5,"maxDurationSec":5}"""), "--max-price", "1");
        await Expect(3, "error: not-found:", "job", "status", "987654321");
        await Expect(1, "cannot reach the API", "markets", "--api", $"http://127.0.0.1:{FreePort.Next()}");

        AssertNoSecrets(cli, DevelopmentKeys.PrivateKeys[13]);
    }

    [Fact]
    public async Task Market_data_as_tables_and_JSON()
    {
        var cli = stack.Runner(Passphrase);
        var markets = await cli.RunAsync("markets");
        Assert.True(markets.Code == 0, markets + stack.Api.Output);
        Assert.Contains("best ask", markets.Out);
        var json = await cli.RunAsync("markets", "--json");
        Assert.True(json.Code == 0, json.ToString());
        Assert.NotNull(json.Json.AsArray());
        var offers = await cli.RunAsync("offers", "--type", "logical", "--grade", "medium");
        Assert.True(offers.Code == 0, offers.ToString());
        Assert.Contains(DevelopmentKeys.AddressOf(4).ToLowerHex(), offers.Out, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("2000000", offers.Out);
        Assert.Equal(0, (await cli.RunAsync("offers", "--json")).Code);
    }

    private static void AssertNoSecrets(CliRunner cli, string? privateKeyHex = null)
    {
        foreach (var r in cli.All)
        {
            var text = r.Out + r.Err;
            Assert.DoesNotContain(Passphrase, text);
            if (privateKeyHex is not null)
            {
                Assert.DoesNotContain(privateKeyHex[2..], text, StringComparison.OrdinalIgnoreCase);
            }
        }
    }
}
