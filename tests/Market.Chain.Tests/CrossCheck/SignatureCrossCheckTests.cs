using Market.Chain.Crypto;
using Market.Chain.Signing;

namespace Market.Chain.Tests.CrossCheck;

public class SignatureCrossCheckTests
{
    [Fact]
    public void Signs_exactly_as_ethers_and_recovers_ethers_signatures()
    {
        int n = 0;
        foreach (var c in EthersVectors.Get("signatures").EnumerateArray())
        {
            var key = new EthKey(c.GetProperty("privateKey").GetString()!);
            var hash = Hex.Decode(c.GetProperty("hash").GetString(), 32);
            var expected = c.GetProperty("signature").GetString()!;
            var address = Address.Parse(c.GetProperty("address").GetString()!);
            Assert.Equal(address, key.Address);
            var mine = key.SignHash(hash);
            Assert.Equal(expected, mine.ToHex());
            Assert.Equal(address, Secp256k1.Recover(hash, EthSignature.FromHex(expected)));
            Assert.True(Secp256k1.Verify(hash, mine, key.PublicKey));
            n++;
        }
        Assert.True(n >= 200);
    }

    [Fact]
    public void Personal_messages_agree_with_ethers()
    {
        foreach (var c in EthersVectors.Get("personal").EnumerateArray())
        {
            var key = new EthKey(c.GetProperty("privateKey").GetString()!);
            var message = c.GetProperty("message").GetString()!;
            Assert.Equal(c.GetProperty("signature").GetString(), PersonalMessage.Sign(message, key).ToHex());
            Assert.Equal(Address.Parse(c.GetProperty("address").GetString()!), PersonalMessage.Recover(message, c.GetProperty("signature").GetString()!));
        }
    }
}
