using System.CommandLine;
using System.Numerics;
using Market.Chain;
using ProviderAgent.Staking;

namespace ProviderAgent.Commands;

/// <summary>`provider-agent register`: stake (permit, or approve + register) and attest the measured capacity.</summary>
internal static class RegisterCommand
{
    public static Command Create()
    {
        var stake = new Option<string?>("--stake") { Description = "Stake in token base units (default: the registry's minStake)" };
        var metadata = new Option<string>("--metadata-uri") { Description = "Where buyers can read about this provider", DefaultValueFactory = _ => "" };
        var noPermit = new Option<bool>("--no-permit") { Description = "Use approve + register instead of an EIP-2612 permit" };
        var cmd = new Command("register", "Register as a provider with a stake and attest the measured capacity on chain.");
        foreach (var o in new Option[] { stake, metadata, noPermit }) cmd.Options.Add(o);
        cmd.SetAction((result, ct) => CommonOptions.Guarded(async () =>
        {
            var config = ChainOptions.Config(result);
            var key = ChainOptions.Key(result, config);
            var chain = new ProviderChain(await ChainOptions.ContractsAsync(result, config, key, ct));
            byte[] attestation = Hex.Decode(config.AttestationHash, 32);
            BigInteger? amount = result.GetValue(stake) is { } s ? BigInteger.Parse(s) : null;
            try
            {
                bool registered = await chain.RegisterAsync(result.GetValue(metadata)!, attestation, amount, !result.GetValue(noPermit), ct);
                Console.WriteLine(registered ? $"registered {key.Address}" : $"{key.Address} is already registered");
                if (config.MilliNcu == 0) throw new InvalidOperationException("the config has no measured capacity: run `provider-agent init`");
                await chain.AttestAsync(config.MilliNcu, attestation, ct);
                Console.WriteLine($"attested {config.MilliNcu} mNCU Logical (attestation {config.AttestationHash})");
            }
            catch (ContractRevertException e) { throw new InvalidOperationException($"the chain refused: {e.ErrorName} {e.Message}"); }
            return 0;
        }));
        return cmd;
    }
}
