"use strict";
// A malicious token re-enters the market from inside its transfers; every path must refuse.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const { deployAll, BID_TYPES, bidDomain } = require("../../scripts/lib/deploy-contracts");

const MIN_STAKE = 100n;

async function reentrantFixture() {
  const [admin, matcher, settler, provider, consumer] = await ethers.getSigners();
  const token = await (await ethers.getContractFactory("ReentrantToken")).deploy();
  const d = await deployAll(ethers, { deployer: admin, token: await token.getAddress(), minStake: MIN_STAKE,
    unbondingPeriod: 10n, challengePeriod: 60n, reclaimGrace: 60n });
  const { registry, offerBook, escrow } = d;
  await escrow.grantRole(await escrow.MATCHER_ROLE(), matcher.address);
  await escrow.grantRole(await escrow.SETTLER_ROLE(), settler.address);
  const attacker = await (await ethers.getContractFactory("Attacker")).deploy();
  const A = await attacker.getAddress();
  for (const who of [A, provider.address, consumer.address]) await token.mint(who, 10n ** 12n);
  const call = (target, c, fn, args) => attacker.exec(target, c.interface.encodeFunctionData(fn, args));
  await call(await token.getAddress(), token, "approve", [await escrow.getAddress(), ethers.MaxUint256]);
  await call(await token.getAddress(), token, "approve", [await registry.getAddress(), ethers.MaxUint256]);
  await call(await escrow.getAddress(), escrow, "deposit", [1000n]);
  await call(await registry.getAddress(), registry, "register", ["", ethers.ZeroHash, MIN_STAKE]);
  for (const s of [provider, consumer]) {
    await token.connect(s).approve(await escrow.getAddress(), ethers.MaxUint256);
    await token.connect(s).approve(await registry.getAddress(), ethers.MaxUint256);
  }
  return { token, registry, offerBook, escrow, attacker, A, call, admin, matcher, settler, provider, consumer };
}

describe("Reentrancy through a malicious token", function () {
  it("escrow.withdraw cannot be re-entered", async function () {
    const f = await loadFixture(reentrantFixture);
    const E = await f.escrow.getAddress();
    await f.token.arm(f.A, f.attacker.interface.encodeFunctionData("exec", [E, f.escrow.interface.encodeFunctionData("withdraw", [500n])]));
    await expect(f.call(E, f.escrow, "withdraw", [500n])).to.be.revertedWithCustomError(f.escrow, "ReentrancyGuardReentrantCall");
    expect(await f.escrow.balanceOf(f.A)).to.equal(1000n);
    await f.token.disarm();
    await f.call(E, f.escrow, "withdraw", [500n]);
    expect(await f.escrow.balanceOf(f.A)).to.equal(500n);
  });

  it("escrow.deposit cannot be re-entered", async function () {
    const f = await loadFixture(reentrantFixture);
    const E = await f.escrow.getAddress();
    await f.token.arm(f.A, f.attacker.interface.encodeFunctionData("exec", [E, f.escrow.interface.encodeFunctionData("withdraw", [1000n])]));
    await expect(f.call(E, f.escrow, "deposit", [1n])).to.be.revertedWithCustomError(f.escrow, "ReentrancyGuardReentrantCall");
    expect(await f.escrow.balanceOf(f.A)).to.equal(1000n);
  });

  it("registry.withdrawStake cannot be re-entered", async function () {
    const f = await loadFixture(reentrantFixture);
    const R = await f.registry.getAddress();
    await f.call(R, f.registry, "requestUnbond", []);
    await time.increase(10);
    await f.token.arm(f.A, f.attacker.interface.encodeFunctionData("exec", [R, f.registry.interface.encodeFunctionData("withdrawStake", [])]));
    await expect(f.call(R, f.registry, "withdrawStake", [])).to.be.revertedWithCustomError(f.registry, "ReentrancyGuardReentrantCall");
    expect(await f.registry.stakeOf(f.A)).to.equal(MIN_STAKE);
    await f.token.disarm();
    await f.call(R, f.registry, "withdrawStake", []);
    expect(await f.registry.stakeOf(f.A)).to.equal(0n);
  });

  it("finalize cannot be re-entered from the slash transfer", async function () {
    const f = await loadFixture(reentrantFixture);
    const E = await f.escrow.getAddress();
    await f.registry.connect(f.provider).register("", ethers.ZeroHash, 10n ** 9n);
    await f.registry.connect(f.provider).attestCapacity(1, 10_000n, ethers.ZeroHash);
    const now = BigInt((await ethers.provider.getBlock("latest")).timestamp);
    await f.offerBook.connect(f.provider).postOffer(1, 3, 1000n, 3_600_000n, 3600, 9000, 10_000, ethers.ZeroHash, ethers.ZeroHash, now + 86400n);
    await f.escrow.connect(f.consumer).deposit(10n ** 10n);
    const bid = { consumer: f.consumer.address, jobSpecHash: ethers.id("j"), computeType: 1, grade: 3, milliNcu: 1000n,
      maxPricePerNcuHour: 3_600_000n, maxDurationSec: 3600, minUptimeBps: 0, constraintsHash: ethers.ZeroHash, nonce: 1n, deadline: now + 999n };
    const sig = await f.consumer.signTypedData(await bidDomain(f.escrow), BID_TYPES, bid);
    await f.escrow.connect(f.matcher).openLease(bid, sig, 1, 3_600_000n);
    const entries = [1n | (0n << 64n) | (1n << 192n)]; // breach → slash → registry transfers to the escrow
    await f.escrow.connect(f.settler).proposeSettlement(entries);
    await time.increase(60);
    await f.token.arm(f.A, f.attacker.interface.encodeFunctionData("exec", [E, f.escrow.interface.encodeFunctionData("withdraw", [1000n])]));
    await expect(f.escrow.finalize(1, entries)).to.be.revertedWithCustomError(f.escrow, "ReentrancyGuardReentrantCall");
    await f.token.disarm();
    await expect(f.escrow.finalize(1, entries)).to.emit(f.escrow, "PenaltyPaid");
  });
});
