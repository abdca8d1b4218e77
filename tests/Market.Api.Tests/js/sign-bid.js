// Signs a Bid with ethers' signTypedData, as a browser wallet or an ethers-based client would.
// stdin: {"privateKey", "chainId", "escrow", "bid": {...}}  stdout: the 65-byte signature as 0x-hex.
const { Wallet } = require("ethers");
const types = {
  Bid: [
    { name: "consumer", type: "address" }, { name: "jobSpecHash", type: "bytes32" },
    { name: "computeType", type: "uint8" }, { name: "grade", type: "uint8" },
    { name: "milliNcu", type: "uint64" }, { name: "maxPricePerNcuHour", type: "uint256" },
    { name: "maxDurationSec", type: "uint32" }, { name: "minUptimeBps", type: "uint16" },
    { name: "constraintsHash", type: "bytes32" }, { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint64" },
  ],
};
let input = "";
process.stdin.on("data", (d) => (input += d));
process.stdin.on("end", async () => {
  const { privateKey, chainId, escrow, bid } = JSON.parse(input);
  const domain = { name: "ComputeMarket", version: "1", chainId, verifyingContract: escrow };
  process.stdout.write(await new Wallet(privateKey).signTypedData(domain, types, bid));
});
