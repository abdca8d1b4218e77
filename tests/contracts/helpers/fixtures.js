// Shared fixtures and helpers of the contract tests.
"use strict";
const { ethers } = require("hardhat");
const { time } = require("@nomicfoundation/hardhat-network-helpers");
const { deployAll, BID_TYPES, bidDomain } = require("../../../scripts/lib/deploy-contracts");

const TOKEN = 10n ** 6n; // one token in base units
const NCU_HOUR = 3_600_000n;
const MIN_STAKE = 100n * TOKEN;
const CHALLENGE = 60n;
const GRACE = 3600n;
const UNBONDING = 86400n;

function gradeOf(m) {
  m = BigInt(m);
  if (m === 0n) return 0;
  if (m > 1_000_000n) return 1;
  if (m >= 10_000n) return 2;
  if (m >= 500n) return 3;
  return 4;
}
const ceilDiv = (a, b) => (a + b - 1n) / b;
const lockAmount = (m, d, p) => ceilDiv(BigInt(m) * BigInt(d) * BigInt(p), NCU_HOUR);
const charge = (u, p) => (BigInt(u) * BigInt(p)) / NCU_HOUR;
const penalty = (lock, bps) => ceilDiv(BigInt(lock) * BigInt(bps), 10_000n);

/** Contracts deployed, roles granted, accounts funded and approved; nothing registered. */
async function baseFixture(feeBps = 0n) {
  const signers = await ethers.getSigners();
  const [admin, matcher, settler, arbiter, feeRecipient, provider, provider2, consumer, consumer2, stranger] = signers;
  const d = await deployAll(ethers, {
    deployer: admin, admin: admin.address, feeRecipient: feeRecipient.address,
    minStake: MIN_STAKE, unbondingPeriod: UNBONDING, challengePeriod: CHALLENGE, reclaimGrace: GRACE, feeBps,
  });
  const { token, registry, offerBook, escrow } = d;
  await escrow.grantRole(await escrow.MATCHER_ROLE(), matcher.address);
  await escrow.grantRole(await escrow.SETTLER_ROLE(), settler.address);
  await escrow.grantRole(await escrow.ARBITER_ROLE(), arbiter.address);
  for (const s of [provider, provider2, consumer, consumer2, stranger]) {
    await token.mint(s.address, 1_000_000n * TOKEN);
    await token.connect(s).approve(await registry.getAddress(), ethers.MaxUint256);
    await token.connect(s).approve(await escrow.getAddress(), ethers.MaxUint256);
  }
  return { ...d, admin, matcher, settler, arbiter, feeRecipient, provider, provider2, consumer, consumer2, stranger, signers };
}

const DEFAULT_OFFER = {
  computeType: 1, capacityMilli: 8_000n, price: 1_000_000n, maxDurationSec: 7200, uptimeBps: 9900,
  penaltyBps: 1000, region: ethers.encodeBytes32String("eu-west"), attributesHash: ethers.id("gpu=a100"),
};

/** Registers `provider`, attests `capacity` of every type, posts one offer. */
async function registerProvider(f, provider, capacity = 100_000n) {
  await f.registry.connect(provider).register("ipfs://meta", ethers.id("attest"), MIN_STAKE * 10n);
  for (const t of [0, 1, 2]) await f.registry.connect(provider).attestCapacity(t, capacity, ethers.id("bench"));
}

async function postOffer(f, provider, o = {}) {
  const x = { ...DEFAULT_OFFER, ...o };
  const grade = x.grade ?? gradeOf(x.capacityMilli);
  const expiresAt = x.expiresAt ?? BigInt(await time.latest()) + 30n * 86400n;
  const tx = await f.offerBook.connect(provider).postOffer(x.computeType, grade, x.capacityMilli, x.price,
    x.maxDurationSec, x.uptimeBps, x.penaltyBps, x.region, x.attributesHash, expiresAt);
  const rc = await tx.wait();
  const ev = rc.logs.map((l) => { try { return f.offerBook.interface.parseLog(l); } catch { return null; } })
    .find((e) => e && e.name === "OfferPosted");
  return ev.args.offerId;
}

/** Market with a provider, an offer and a funded consumer. */
async function marketFixture() {
  const f = await baseFixture();
  await registerProvider(f, f.provider);
  f.offerId = await postOffer(f, f.provider);
  await f.escrow.connect(f.consumer).deposit(100_000n * TOKEN);
  return f;
}

let nonceCounter = 1n;
async function makeBid(f, o = {}) {
  const milliNcu = o.milliNcu ?? 1_000n;
  return {
    consumer: o.consumer ?? f.consumer.address,
    jobSpecHash: o.jobSpecHash ?? ethers.id("job-spec"),
    computeType: o.computeType ?? 1,
    grade: o.grade ?? gradeOf(milliNcu),
    milliNcu,
    maxPricePerNcuHour: o.maxPricePerNcuHour ?? 2_000_000n,
    maxDurationSec: o.maxDurationSec ?? 3600,
    minUptimeBps: o.minUptimeBps ?? 9000,
    constraintsHash: o.constraintsHash ?? ethers.ZeroHash,
    nonce: o.nonce ?? nonceCounter++,
    deadline: o.deadline ?? BigInt(await time.latest()) + 3600n,
  };
}

async function signBid(f, bid, signer = f.consumer, domainOverride = {}) {
  const domain = { ...(await bidDomain(f.escrow)), ...domainOverride };
  return signer.signTypedData(domain, BID_TYPES, bid);
}

/** Opens a lease and returns its id. */
async function openLease(f, o = {}, price = o.price ?? DEFAULT_OFFER.price, signer = o.signer ?? f.consumer) {
  const bid = await makeBid(f, { consumer: signer.address, ...o });
  const sig = await signBid(f, bid, signer);
  const tx = await f.escrow.connect(f.matcher).openLease(bid, sig, o.offerId ?? f.offerId, price);
  const rc = await tx.wait();
  const ev = rc.logs.map((l) => { try { return f.escrow.interface.parseLog(l); } catch { return null; } })
    .find((e) => e && e.name === "LeaseOpened");
  return { leaseId: ev.args.leaseId, bid, sig, receipt: rc, event: ev };
}

function entry(leaseId, usage, verdict = 0) {
  return { leaseId: BigInt(leaseId), usage: BigInt(usage), verdict };
}

async function propose(f, entries) {
  const rc = await (await f.escrow.connect(f.settler).proposeSettlement(entries)).wait();
  const ev = rc.logs.map((l) => { try { return f.escrow.interface.parseLog(l); } catch { return null; } })
    .find((e) => e && e.name === "SettlementProposed");
  return { batchId: ev.args.batchId, windowEnd: ev.args.windowEnd, receipt: rc };
}

/** Σ balances + locked in escrow, Σ stakes in registry, over `accounts`. */
async function books(f, accounts) {
  let escrowSum = 0n, stakes = 0n;
  for (const a of accounts) {
    const acc = await f.escrow.accountOf(a);
    escrowSum += acc.balance + acc.locked;
    stakes += await f.registry.stakeOf(a);
  }
  return { escrowSum, stakes };
}

module.exports = {
  TOKEN, NCU_HOUR, MIN_STAKE, CHALLENGE, GRACE, UNBONDING, DEFAULT_OFFER, BID_TYPES,
  gradeOf, lockAmount, charge, penalty, baseFixture, marketFixture, registerProvider, postOffer,
  makeBid, signBid, openLease, entry, propose, books, bidDomain,
};
