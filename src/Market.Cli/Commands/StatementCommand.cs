using System.CommandLine;
using System.Text;
using System.Text.Json.Nodes;
using Market.Cli.Cli;
using static Market.Cli.Commands.MarketDataCommands;

namespace Market.Cli.Commands;

/// <summary>`market statement`: the wallet's settled leases as consumer and provider, with totals.</summary>
internal static class StatementCommand
{
    public static Command Create(GlobalOptions o)
    {
        var format = new Option<string>("--format") { Description = "table (default), json or csv", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "csv");
        var from = new Option<string?>("--from") { Description = "Not yet supported by the API (statements are not dated yet)" };
        var to = new Option<string?>("--to") { Description = "Not yet supported by the API (statements are not dated yet)" };
        var cmd = new Command("statement", "My statement: paid, refunded, earned, penalties, fees, per lease") { format, from, to };
        cmd.Action(o, async (r, ctx, ct) =>
        {
            if (r.GetValue(from) is not null || r.GetValue(to) is not null)
                throw CliException.Usage("--from/--to: the API's statements carry no dates yet, so they cannot be filtered by time");
            var address = ctx.Wallet.Address.ToLowerHex();
            var fmt = ctx.Json ? "json" : r.GetValue(format)!;
            if (fmt == "csv")
            {
                var (data, _) = await ctx.Api.GetBytesAsync($"v1/statements/{address}?format=csv", auth: true, ct);
                ctx.Out.Writer.Write(Encoding.UTF8.GetString(data));
                return ExitCodes.Ok;
            }
            var s = await ctx.Api.GetAsync($"v1/statements/{address}", auth: true, ct);
            if (fmt == "json") { ctx.Out.Json(s); return ExitCodes.Ok; }
            string[] totals = ["leases", "usedMilliNcuSeconds", "paid", "refunded", "earned", "penaltiesReceived", "penaltiesPaid", "fees"];
            ctx.Out.Table(["role", .. totals], new[] { "asConsumer", "asProvider" }.Select(role => (IReadOnlyList<string?>)
                [role == "asConsumer" ? "consumer" : "provider", .. totals.Select(t => S(s?[role], t))]), $"statement of {address} (token base units)");
            string[] line = ["leaseId", "role", "state", "verdict", "usedMilliNcuSeconds", "charge", "fee", "providerPaid", "refund", "penalty", "settleTx"];
            ctx.Out.Table(line, (s?["lines"] as JsonArray ?? []).Select(l => (IReadOnlyList<string?>)line.Select(f => S(l, f)).ToArray()), "leases");
            return ExitCodes.Ok;
        });
        return cmd;
    }
}
