// Gas figures of the market contracts, measured from receipts on the in-process Hardhat network.
// Run: node node_modules/.bin/hardhat run scripts/bench-gas.js
// Prints only "BENCH <name> <value> gas" lines on stdout; progress goes to stderr.
"use strict";
const hre = require("hardhat");
const { ethers } = hre;
const { deployAll, BID_TYPES, bidDomain } = require("./lib/deploy-contracts");

const TOKEN = 10n ** 6n;
const log = (...a) => console.error("[bench-gas]", ...a);
const out = (name, value) => console.log(`BENCH ${name} ${Math.round(Number(value))} gas`);

async function increase(sec) {
  await ethers.provider.send("evm_increaseTime", [Number(sec)]);
  await ethers.provider.send("evm_mine", []);
}

async function main() {
  const signers = await ethers.getSigners();
  const [admin, matcher, settler, arbiter, feeRecipient] = signers;
  const providers = signers.slice(5, 10);
  const consumers = signers.slice(10, 20);
  const d = await deployAll(ethers, { deployer: admin, feeRecipient: feeRecipient.address, challengePeriod: 60n, feeBps: 100n });
  const { token, registry, offerBook, escrow } = d;
  await (await escrow.grantRole(await escrow.MATCHER_ROLE(), matcher.address)).wait();
  await (await escrow.grantRole(await escrow.SETTLER_ROLE(), settler.address)).wait();
  await (await escrow.grantRole(await escrow.ARBITER_ROLE(), arbiter.address)).wait();
  const domain = await bidDomain(escrow);
  for (const s of [...providers, ...consumers]) {
    await (await token.mint(s.address, 10_000_000n * TOKEN)).wait();
    await (await token.connect(s).approve(await registry.getAddress(), ethers.MaxUint256)).wait();
    await (await token.connect(s).approve(await escrow.getAddress(), ethers.MaxUint256)).wait();
  }

  log("register / attest / post offers");
  const registerGas = [];
  const offerGas = [];
  const offers = []; // offers[i] belongs to providers[i]
  for (const p of providers) {
    const rc = await (await registry.connect(p).register("ipfs://provider-metadata", ethers.id("attest"), 1000n * TOKEN)).wait();
    registerGas.push(rc.gasUsed);
    await (await registry.connect(p).attestCapacity(1, 10_000_000_000n, ethers.id("bench"))).wait();
    const now = (await ethers.provider.getBlock("latest")).timestamp;
    const tx = await offerBook.connect(p).postOffer(1, 1, 1_000_000_000n, 1_000_000n, 86400, 9900, 500,
      ethers.encodeBytes32String("eu-west"), ethers.id("attrs"), now + 30 * 86400);
    const orc = await tx.wait();
    offerGas.push(orc.gasUsed);
    offers.push(await offerBook.offerCount());
  }
  for (const c of consumers) await (await escrow.connect(c).deposit(9_000_000n * TOKEN)).wait();
  out("gas.register", registerGas[1]);
  out("gas.post_offer", offerGas[1]);

  const nonces = new Map();
  async function open(consumer, offerIdx) {
    const n = (nonces.get(consumer.address) || 0n) + 1n;
    nonces.set(consumer.address, n);
    const now = (await ethers.provider.getBlock("latest")).timestamp;
    const bid = {
      consumer: consumer.address, jobSpecHash: ethers.id(`job-${consumer.address}-${n}`), computeType: 1, grade: 1,
      milliNcu: 2_000_000n, maxPricePerNcuHour: 2_000_000n, maxDurationSec: 3600, minUptimeBps: 9000,
      constraintsHash: ethers.ZeroHash, nonce: n, deadline: BigInt(now + 3600),
    };
    const sig = await consumer.signTypedData(domain, BID_TYPES, bid);
    const rc = await (await escrow.connect(matcher).openLease(bid, sig, offers[offerIdx], 1_000_000n)).wait();
    const ev = rc.logs.map((l) => { try { return escrow.interface.parseLog(l); } catch { return null; } })
      .find((e) => e && e.name === "LeaseOpened");
    return { leaseId: ev.args.leaseId, gas: rc.gasUsed };
  }

  // open_lease: the first lease of a fresh consumer/provider pays one-time slot creation
  // (nonce bitmap word, provider counter); the figure is the mean of the 20 leases after it.
  log("open_lease");
  const first = await open(consumers[0], 0);
  log(`first lease of a fresh consumer/provider/offer: ${first.gas} gas`);
  let sum = 0n;
  for (let i = 0; i < 20; i++) sum += (await open(consumers[0], 0)).gas;
  out("gas.open_lease", sum / 20n);

  async function settle(n, pick) {
    const ids = [];
    for (let i = 0; i < n; i++) {
      const { consumer, offerIdx } = pick(i);
      ids.push((await open(consumer, offerIdx)).leaseId);
    }
    await increase(1800);
    const entries = ids.map((id, i) => BigInt(id) | ((2_000_000n * 1000n + BigInt(i)) << 64n));
    const prc = await (await escrow.connect(settler).proposeSettlement(entries)).wait();
    const batchId = await escrow.batchCount();
    await increase(61);
    const frc = await (await escrow.connect(settler).finalize(batchId, entries)).wait();
    log(`batch ${n}: propose ${prc.gasUsed}, finalize ${frc.gasUsed}`);
    return Number(prc.gasUsed + frc.gasUsed) / n;
  }
  log("settlement batches (one consumer, one provider, one offer)");
  const same = () => ({ consumer: consumers[1], offerIdx: 1 });
  out("gas.settle_per_lease_batch1", await settle(1, same));
  out("gas.settle_per_lease_batch10", await settle(10, same));
  out("gas.settle_per_lease_batch100", await settle(100, same));
  log("settlement batch of 100 with leases of 10 consumers x 5 providers interleaved");
  out("gas.settle_per_lease_batch100_mixed",
    await settle(100, (i) => ({ consumer: consumers[i % 10], offerIdx: i % 5 })));

  log("the same 10 consumers x 5 providers, batch sorted by (offer, consumer) before proposing");
  out("gas.settle_per_lease_batch100_sorted",
    await settle(100, (i) => ({ consumer: consumers[Math.floor(i / 10) % 10], offerIdx: Math.floor(i / 20) })));

  log("withdraw");
  const wrc = await (await escrow.connect(consumers[1]).withdraw(1n * TOKEN)).wait();
  out("gas.withdraw", wrc.gasUsed);
}

main().catch((e) => { console.error(e); process.exit(1); });
