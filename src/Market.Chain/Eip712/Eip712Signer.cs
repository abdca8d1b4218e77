using Market.Chain.Crypto;

namespace Market.Chain.Eip712;

/// <summary>Signs and recovers EIP-712 typed data (signature v = 27/28, as eth_signTypedData_v4).</summary>
public static class Eip712Signer
{
    public static EthSignature SignTypedData(TypedData data, EthKey key) => key.SignHash(data.Hash());

    public static EthSignature SignTypedData(string json, EthKey key) => SignTypedData(TypedDataJson.Parse(json), key);

    public static Address RecoverTypedData(TypedData data, EthSignature signature) => Secp256k1.Recover(data.Hash(), signature);

    public static Address RecoverTypedData(TypedData data, string signatureHex) => RecoverTypedData(data, EthSignature.FromHex(signatureHex));

    public static Address RecoverTypedData(string json, string signatureHex) => RecoverTypedData(TypedDataJson.Parse(json), signatureHex);
}
