// Measures ethers 6 verifyTypedData on one Bid signature for ~2 s (single thread) and prints
// { opsPerSec, domain, bid, signature, address } so the C# side recovers the very same message.
"use strict";
const path = require("path");
const ethers = require(require.resolve("ethers", { paths: [process.cwd(), path.resolve(__dirname, "../../..")] }));

const BID_TYPES = { Bid: [
  { name: "consumer", type: "address" }, { name: "jobSpecHash", type: "bytes32" }, { name: "computeType", type: "uint8" },
  { name: "grade", type: "uint8" }, { name: "milliNcu", type: "uint64" }, { name: "maxPricePerNcuHour", type: "uint256" },
  { name: "maxDurationSec", type: "uint32" }, { name: "minUptimeBps", type: "uint16" }, { name: "constraintsHash", type: "bytes32" },
  { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint64" }] };
const wallet = new ethers.Wallet("0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba");
const domain = { name: "ComputeMarket", version: "1", chainId: 31337, verifyingContract: "0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0" };
const bid = { consumer: wallet.address, jobSpecHash: ethers.id("job"), computeType: 1, grade: 3, milliNcu: "4000",
  maxPricePerNcuHour: "2000000", maxDurationSec: 3600, minUptimeBps: 9000, constraintsHash: ethers.ZeroHash, nonce: "42", deadline: "1900000000" };
const signature = wallet.signingKey.sign(ethers.TypedDataEncoder.hash(domain, BID_TYPES, bid)).serialized;

const seconds = Number(process.argv[2] || 2);
for (let i = 0; i < 50; i++) ethers.verifyTypedData(domain, BID_TYPES, bid, signature); // warm-up
let n = 0; const start = process.hrtime.bigint(); let elapsed = 0;
do {
  for (let i = 0; i < 20; i++) if (ethers.verifyTypedData(domain, BID_TYPES, bid, signature) !== wallet.address) throw new Error("bad recovery");
  n += 20;
  elapsed = Number(process.hrtime.bigint() - start) / 1e9;
} while (elapsed < seconds);
process.stdout.write(JSON.stringify({ opsPerSec: n / elapsed, domain, bid, signature, address: wallet.address }));
