"use strict";
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const h = require("./helpers/fixtures");

const { TOKEN, CHALLENGE, GRACE } = h;
const S = { None: 0n, Open: 1n, Proposed: 2n, Disputed: 3n, Resolved: 4n, Settled: 5n, Reclaimed: 6n };
const pack = (id, usage, verdict = 0) => BigInt(id) | (BigInt(usage) << 64n) | (BigInt(verdict) << 192n);

/** Market with two open leases of 1,000 mNCU × 1 h at 1 token/NCU-h (lock 1 token each). */
async function leasesFixture() {
  const f = await h.marketFixture();
  f.l1 = await h.openLease(f);
  f.l2 = await h.openLease(f);
  f.start1 = f.l1.event.args.startTime;
  return f;
}

async function feeFixture() {
  const f = await h.baseFixture(250n); // 2.5 %
  await h.registerProvider(f, f.provider);
  f.offerId = await h.postOffer(f, f.provider);
  await f.escrow.connect(f.consumer).deposit(100_000n * TOKEN);
  f.l1 = await h.openLease(f);
  return f;
}

/** A provider whose stake (1,000 tokens) is smaller than a breached lease's penalty. */
async function bigPenaltyFixture() {
  const f = await h.marketFixture();
  f.hotOffer = await h.postOffer(f, f.provider, { capacityMilli: 1_000n, price: 2_000n * TOKEN, penaltyBps: 10_000 });
  f.l1 = await h.openLease(f, { offerId: f.hotOffer, maxPricePerNcuHour: 2_000n * TOKEN }, 2_000n * TOKEN);
  return f;
}

async function proposeAt(f, entries, ts) {
  if (ts !== undefined) await time.setNextBlockTimestamp(ts);
  return h.propose(f, entries);
}

describe("LeaseEscrow: proposeSettlement", function () {
  it("proposes a batch, emits its entries and marks the leases Proposed", async function () {
    const f = await loadFixture(leasesFixture);
    await time.increase(600);
    const entries = [pack(f.l1.leaseId, 1000n * 500n), pack(f.l2.leaseId, 7n, 1)];
    const tx = f.escrow.connect(f.settler).proposeSettlement(entries);
    await expect(tx).to.emit(f.escrow, "SettlementProposed");
    const { batchId, windowEnd, receipt } = { ...(await h.propose(f, [pack((await h.openLease(f)).leaseId, 0)])) };
    expect(batchId).to.equal(2n);
    const block = await ethers.provider.getBlock(receipt.blockNumber);
    expect(windowEnd).to.equal(BigInt(block.timestamp) + CHALLENGE);
    expect(await f.escrow.leaseStateOf(f.l1.leaseId)).to.equal(S.Proposed);
    const lease = await f.escrow.getLease(f.l2.leaseId);
    expect(lease.state).to.equal(S.Proposed);
    expect(lease.batchId).to.equal(1n);
    const b = await f.escrow.getBatch(1);
    expect(b.status).to.equal(1n);
    expect(b.feeBps).to.equal(0n);
    const ev = (await (await tx).wait()).logs.map((l) => f.escrow.interface.parseLog(l)).find((e) => e.name === "SettlementProposed");
    expect([...ev.args[3]]).to.deep.equal(entries); // args.entries is Result.entries()
    expect(ev.args.commitment).to.equal(ethers.keccak256(ethers.solidityPacked(["uint256[]"], [entries])).slice(0, 50));
  });

  it("packs and unpacks entries", async function () {
    const f = await loadFixture(h.marketFixture);
    const e = await f.escrow.packSettlementEntry(5, 123456789n, 2);
    expect(e).to.equal(pack(5, 123456789n, 2));
    const u = await f.escrow.unpackSettlementEntry(e);
    expect([u.leaseId, u.usage, u.verdict]).to.deep.equal([5n, 123456789n, 2n]);
  });

  it("bounds usage by milliNcu × elapsed, capped at maxDuration", async function () {
    const f = await loadFixture(leasesFixture);
    const t = f.start1 + 100n;
    await expect(proposeAt(f, [pack(f.l1.leaseId, 1000n * 100n + 1n)], t))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowUsageExceedsBound").withArgs(f.l1.leaseId, 1000n * 100n + 1n, 1000n * 100n);
    await proposeAt(f, [pack(f.l1.leaseId, 1000n * 101n)], t + 1n);
    // Long after the end: the bound stops at maxDuration.
    await time.increaseTo(f.start1 + 10_000n);
    expect(await f.escrow.maxUsageOf(f.l2.leaseId)).to.be.lessThanOrEqual(1000n * 3600n);
    await expect(h.propose(f, [pack(f.l2.leaseId, 1000n * 3600n + 1n)]))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowUsageExceedsBound");
    await h.propose(f, [pack(f.l2.leaseId, 1000n * 3600n)]);
  });

  it("rejects an empty batch, a bad verdict, a malformed entry and an unknown lease", async function () {
    const f = await loadFixture(leasesFixture);
    await expect(h.propose(f, [])).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowEmptyBatch");
    await expect(h.propose(f, Array.from({ length: 257 }, (_, i) => pack(i + 1, 0))))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowBatchTooLarge").withArgs(257, 256);
    await expect(h.propose(f, [pack(f.l1.leaseId, 0, 3)]))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidVerdict").withArgs(f.l1.leaseId, 3);
    const bad = pack(f.l1.leaseId, 0) | (1n << 200n);
    await expect(h.propose(f, [pack(f.l2.leaseId, 0), bad]))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidEntry").withArgs(1, bad);
    await expect(h.propose(f, [pack(99, 0)]))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotOpen").withArgs(99, S.None);
  });

  it("rejects a lease already in a pending proposal (also twice in one batch)", async function () {
    const f = await loadFixture(leasesFixture);
    await expect(h.propose(f, [pack(f.l1.leaseId, 0), pack(f.l1.leaseId, 0)]))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotOpen").withArgs(f.l1.leaseId, S.Proposed);
    await h.propose(f, [pack(f.l1.leaseId, 0)]);
    await expect(h.propose(f, [pack(f.l1.leaseId, 0)]))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotOpen").withArgs(f.l1.leaseId, S.Proposed);
  });

  it("rejects a lease already settled (double settlement)", async function () {
    const f = await loadFixture(leasesFixture);
    const entries = [pack(f.l1.leaseId, 0)];
    const { batchId } = await h.propose(f, entries);
    await time.increase(CHALLENGE);
    await f.escrow.finalize(batchId, entries);
    expect(await f.escrow.leaseStateOf(f.l1.leaseId)).to.equal(S.Settled);
    await expect(h.propose(f, entries))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotOpen").withArgs(f.l1.leaseId, S.Settled);
  });

  it("rejects a caller without SETTLER_ROLE, and proposals while paused", async function () {
    const f = await loadFixture(leasesFixture);
    await expect(f.escrow.connect(f.matcher).proposeSettlement([pack(f.l1.leaseId, 0)]))
      .to.be.revertedWithCustomError(f.escrow, "AccessControlUnauthorizedAccount")
      .withArgs(f.matcher.address, await f.escrow.SETTLER_ROLE());
    await f.escrow.connect(f.admin).pause();
    await expect(h.propose(f, [pack(f.l1.leaseId, 0)])).to.be.revertedWithCustomError(f.escrow, "EnforcedPause");
  });
});

describe("LeaseEscrow: finalize", function () {
  it("is refused inside the window, with other entries, and twice", async function () {
    const f = await loadFixture(leasesFixture);
    const entries = [pack(f.l1.leaseId, 10n), pack(f.l2.leaseId, 20n)];
    const { batchId, windowEnd } = await h.propose(f, entries);
    await expect(f.escrow.finalize(batchId, entries))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowChallengeWindowOpen").withArgs(batchId, windowEnd);
    await time.increaseTo(windowEnd);
    await expect(f.escrow.finalize(batchId, [pack(f.l1.leaseId, 11n), pack(f.l2.leaseId, 20n)]))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowCommitmentMismatch").withArgs(batchId);
    await expect(f.escrow.finalize(batchId, [entries[1], entries[0]]))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowCommitmentMismatch");
    await expect(f.escrow.finalize(batchId, [entries[0]])).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowCommitmentMismatch");
    await expect(f.escrow.finalize(7, entries)).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowBatchNotPending").withArgs(7);
    await f.escrow.connect(f.stranger).finalize(batchId, entries);
    await expect(f.escrow.finalize(batchId, entries)).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowBatchNotPending").withArgs(batchId);
  });

  it("pays provider, refunds consumer, releases capacity — permissionless, exact amounts", async function () {
    const f = await loadFixture(leasesFixture);
    await time.increase(1800);
    const u1 = 1000n * 1234n + 999n, u2 = 1n; // charges floor(u × 1e6 / 3.6e6)
    const entries = [pack(f.l1.leaseId, u1), pack(f.l2.leaseId, u2, 2)];
    const { batchId, windowEnd } = await h.propose(f, entries);
    await time.increaseTo(windowEnd);
    const c1 = h.charge(u1, 1_000_000n), c2 = h.charge(u2, 1_000_000n);
    expect(c2).to.equal(0n);
    const consumerBefore = await f.escrow.balanceOf(f.consumer.address);
    await expect(f.escrow.connect(f.stranger).finalize(batchId, entries))
      .to.emit(f.escrow, "BatchFinalized").withArgs(batchId, 2n, c1 + c2);
    expect(await f.escrow.balanceOf(f.provider.address)).to.equal(c1 + c2);
    expect(await f.escrow.balanceOf(f.consumer.address)).to.equal(consumerBefore + 2n * TOKEN - c1 - c2);
    expect(await f.escrow.lockedOf(f.consumer.address)).to.equal(0n);
    expect(await f.escrow.openLeaseCount(f.provider.address)).to.equal(0n);
    expect(await f.offerBook.freeCapacityOf(f.offerId)).to.equal(8_000n);
    expect(await f.token.balanceOf(await f.escrow.getAddress())).to.equal(100_000n * TOKEN);
    await expect(f.escrow.connect(f.provider).withdraw(c1)).to.emit(f.escrow, "Withdrawn").withArgs(f.provider.address, c1);
  });

  it("takes the fee (rate fixed at proposal time) for the fee recipient", async function () {
    const f = await loadFixture(feeFixture);
    await time.increase(3600);
    const usage = 1000n * 3600n; // the whole lock: 1 token
    const entries = [pack(f.l1.leaseId, usage)];
    const { batchId } = await h.propose(f, entries);
    await f.escrow.connect(f.admin).setFeeBps(1000); // later change does not touch this batch
    await time.increase(CHALLENGE);
    await f.escrow.finalize(batchId, entries);
    const fee = (1n * TOKEN * 250n) / 10_000n;
    expect(await f.escrow.balanceOf(f.feeRecipient.address)).to.equal(fee);
    expect(await f.escrow.balanceOf(f.provider.address)).to.equal(1n * TOKEN - fee);
  });

  it("on a breach pays the consumer ceil(lock × penaltyBps / 10,000) slashed from the stake", async function () {
    const f = await loadFixture(leasesFixture);
    await time.increase(100);
    const entries = [pack(f.l1.leaseId, 1000n * 50n, 1)];
    const { batchId } = await h.propose(f, entries);
    await time.increase(CHALLENGE);
    const stake = await f.registry.stakeOf(f.provider.address);
    const pen = h.penalty(1n * TOKEN, 1000n);
    const c = h.charge(1000n * 50n, 1_000_000n);
    const before = await f.escrow.balanceOf(f.consumer.address);
    await expect(f.escrow.finalize(batchId, entries))
      .to.emit(f.escrow, "PenaltyPaid").withArgs(f.l1.leaseId, f.provider.address, f.consumer.address, pen)
      .and.to.emit(f.registry, "ProviderSlashed").withArgs(f.provider.address, pen, await f.escrow.getAddress(), stake - pen);
    expect(await f.registry.stakeOf(f.provider.address)).to.equal(stake - pen);
    expect(await f.escrow.balanceOf(f.consumer.address)).to.equal(before + 1n * TOKEN - c + pen);
    expect(await f.escrow.balanceOf(f.provider.address)).to.equal(c);
  });

  it("caps the penalty at the remaining stake and jails the provider", async function () {
    const f = await loadFixture(bigPenaltyFixture);
    await time.increase(10);
    const entries = [pack(f.l1.leaseId, 0, 1)];
    const { batchId } = await h.propose(f, entries);
    await time.increase(CHALLENGE);
    const stake = await f.registry.stakeOf(f.provider.address); // 1,000 tokens < penalty 2,000 tokens
    const before = await f.escrow.balanceOf(f.consumer.address);
    await expect(f.escrow.finalize(batchId, entries))
      .to.emit(f.escrow, "PenaltyPaid").withArgs(f.l1.leaseId, f.provider.address, f.consumer.address, stake)
      .and.to.emit(f.registry, "ProviderStatusChanged").withArgs(f.provider.address, 3);
    expect(await f.registry.stakeOf(f.provider.address)).to.equal(0n);
    expect(await f.registry.statusOf(f.provider.address)).to.equal(3n);
    expect(await f.escrow.balanceOf(f.consumer.address)).to.equal(before + 2_000n * TOKEN + stake);
  });
});

describe("LeaseEscrow: disputes", function () {
  it("a party disputes inside the window; the batch settles without that lease", async function () {
    const f = await loadFixture(leasesFixture);
    await time.increase(600);
    const entries = [pack(f.l1.leaseId, 1000n * 600n), pack(f.l2.leaseId, 1000n * 600n)];
    const { batchId } = await h.propose(f, entries);
    await expect(f.escrow.connect(f.consumer).dispute(f.l1.leaseId))
      .to.emit(f.escrow, "LeaseDisputed").withArgs(f.l1.leaseId, batchId, f.consumer.address);
    expect(await f.escrow.leaseStateOf(f.l1.leaseId)).to.equal(S.Disputed);
    await time.increase(CHALLENGE);
    await expect(f.escrow.finalize(batchId, entries)).to.emit(f.escrow, "BatchFinalized").withArgs(batchId, 1n, h.charge(600_000n, 1_000_000n));
    expect(await f.escrow.leaseStateOf(f.l1.leaseId)).to.equal(S.Disputed);
    expect(await f.escrow.lockedOf(f.consumer.address)).to.equal(1n * TOKEN);
    expect(await f.escrow.openLeaseCount(f.provider.address)).to.equal(1n);
  });

  it("the provider may dispute too; strangers, open leases and closed windows are refused", async function () {
    const f = await loadFixture(leasesFixture);
    await expect(f.escrow.connect(f.consumer).dispute(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotProposed").withArgs(f.l1.leaseId, S.Open);
    const { batchId, windowEnd } = await h.propose(f, [pack(f.l1.leaseId, 0), pack(f.l2.leaseId, 0)]);
    await expect(f.escrow.connect(f.stranger).dispute(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowNotLeaseParty").withArgs(f.l1.leaseId, f.stranger.address);
    await expect(f.escrow.connect(f.provider).dispute(f.l1.leaseId)).to.emit(f.escrow, "LeaseDisputed")
      .withArgs(f.l1.leaseId, batchId, f.provider.address);
    await expect(f.escrow.connect(f.provider).dispute(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotProposed").withArgs(f.l1.leaseId, S.Disputed);
    await time.increaseTo(windowEnd);
    await expect(f.escrow.connect(f.consumer).dispute(f.l2.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowChallengeWindowClosed").withArgs(f.l2.leaseId, windowEnd);
  });

  it("the arbiter resolves (bounded), then anyone settles it as ruled", async function () {
    const f = await loadFixture(leasesFixture);
    await time.increase(600);
    const { batchId } = await h.propose(f, [pack(f.l1.leaseId, 1000n * 600n)]);
    await f.escrow.connect(f.consumer).dispute(f.l1.leaseId);
    await expect(f.escrow.connect(f.settler).resolveDispute(f.l1.leaseId, 0, 0))
      .to.be.revertedWithCustomError(f.escrow, "AccessControlUnauthorizedAccount")
      .withArgs(f.settler.address, await f.escrow.ARBITER_ROLE());
    await expect(f.escrow.connect(f.arbiter).resolveDispute(f.l2.leaseId, 0, 0))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotDisputed").withArgs(f.l2.leaseId, S.Open);
    await expect(f.escrow.connect(f.arbiter).resolveDispute(f.l1.leaseId, 1000n * 3600n + 1n, 0))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowUsageExceedsBound");
    await expect(f.escrow.connect(f.arbiter).resolveDispute(f.l1.leaseId, 0, 9))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidVerdict");
    await expect(f.escrow.finalizeResolved(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotResolved").withArgs(f.l1.leaseId, S.Disputed);
    const usage = 1000n * 300n;
    await expect(f.escrow.connect(f.arbiter).resolveDispute(f.l1.leaseId, usage, 1))
      .to.emit(f.escrow, "DisputeResolved").withArgs(f.l1.leaseId, usage, 1);
    expect(await f.escrow.leaseStateOf(f.l1.leaseId)).to.equal(S.Resolved);
    await expect(f.escrow.connect(f.consumer).reclaim(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotReclaimable").withArgs(f.l1.leaseId, S.Resolved);
    const c = h.charge(usage, 1_000_000n), pen = h.penalty(1n * TOKEN, 1000n);
    const before = await f.escrow.balanceOf(f.consumer.address);
    await expect(f.escrow.connect(f.stranger).finalizeResolved(f.l1.leaseId))
      .to.emit(f.escrow, "LeaseSettled").withArgs(f.l1.leaseId, c, 0n, 1n * TOKEN - c, pen);
    expect(await f.escrow.balanceOf(f.consumer.address)).to.equal(before + 1n * TOKEN - c + pen);
    expect(await f.escrow.balanceOf(f.provider.address)).to.equal(c);
    expect(await f.escrow.leaseStateOf(f.l1.leaseId)).to.equal(S.Settled);
    expect(await f.escrow.openLeaseCount(f.provider.address)).to.equal(1n);
    await expect(f.escrow.finalizeResolved(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotResolved").withArgs(f.l1.leaseId, S.Settled);
    expect(batchId).to.equal(1n);
  });
});

describe("LeaseEscrow: reclaim", function () {
  it("refuses too early, then returns the whole lock to the consumer", async function () {
    const f = await loadFixture(leasesFixture);
    const at = f.start1 + 3600n + GRACE;
    expect(await f.escrow.reclaimableAt(f.l1.leaseId)).to.equal(at);
    await time.setNextBlockTimestamp(at - 1n);
    await expect(f.escrow.connect(f.consumer).reclaim(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowReclaimTooEarly").withArgs(f.l1.leaseId, at);
    await expect(f.escrow.connect(f.stranger).reclaim(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowNotLeaseParty").withArgs(f.l1.leaseId, f.stranger.address);
    const before = await f.escrow.balanceOf(f.consumer.address);
    await expect(f.escrow.connect(f.consumer).reclaim(f.l1.leaseId))
      .to.emit(f.escrow, "LeaseReclaimed").withArgs(f.l1.leaseId, f.consumer.address, 1n * TOKEN);
    expect(await f.escrow.balanceOf(f.consumer.address)).to.equal(before + 1n * TOKEN);
    expect(await f.escrow.lockedOf(f.consumer.address)).to.equal(1n * TOKEN);
    expect(await f.escrow.openLeaseCount(f.provider.address)).to.equal(1n);
    expect(await f.offerBook.freeCapacityOf(f.offerId)).to.equal(7_000n);
    await expect(f.escrow.connect(f.consumer).reclaim(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotReclaimable").withArgs(f.l1.leaseId, S.Reclaimed);
    // The provider may trigger it too (to free its stake); the money still goes to the consumer.
    await expect(f.escrow.connect(f.provider).reclaim(f.l2.leaseId))
      .to.emit(f.escrow, "LeaseReclaimed").withArgs(f.l2.leaseId, f.consumer.address, 1n * TOKEN);
    expect(await f.escrow.lockedOf(f.consumer.address)).to.equal(0n);
    await expect(h.propose(f, [pack(f.l1.leaseId, 0)]))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotOpen").withArgs(f.l1.leaseId, S.Reclaimed);
  });

  it("a lease in a pending proposal is not reclaimable; anyone can finalize it instead", async function () {
    const f = await loadFixture(leasesFixture);
    await time.increase(3600);
    const entries = [pack(f.l1.leaseId, 1000n)];
    const { batchId } = await h.propose(f, entries);
    await time.increase(GRACE * 2n);
    await expect(f.escrow.connect(f.consumer).reclaim(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseInPendingProposal").withArgs(f.l1.leaseId, batchId);
    await f.escrow.connect(f.consumer).finalize(batchId, entries);
    await expect(f.escrow.connect(f.consumer).reclaim(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotReclaimable").withArgs(f.l1.leaseId, S.Settled);
  });

  it("a disputed lease the arbiter never rules on is reclaimable after max(end, window) + grace", async function () {
    const f = await loadFixture(leasesFixture);
    const { windowEnd } = await h.propose(f, [pack(f.l1.leaseId, 0)]);
    await f.escrow.connect(f.consumer).dispute(f.l1.leaseId);
    const end = f.start1 + 3600n;
    const at = (end > windowEnd ? end : windowEnd) + GRACE;
    expect(await f.escrow.reclaimableAt(f.l1.leaseId)).to.equal(at);
    await time.setNextBlockTimestamp(at - 1n);
    await expect(f.escrow.connect(f.consumer).reclaim(f.l1.leaseId))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowReclaimTooEarly").withArgs(f.l1.leaseId, at);
    await expect(f.escrow.connect(f.consumer).reclaim(f.l1.leaseId)).to.emit(f.escrow, "LeaseReclaimed");
    await expect(f.escrow.connect(f.arbiter).resolveDispute(f.l1.leaseId, 0, 0))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowLeaseNotDisputed").withArgs(f.l1.leaseId, S.Reclaimed);
  });

  it("while paused: withdraw, dispute, resolve, finalize and reclaim stay open", async function () {
    const f = await loadFixture(leasesFixture);
    const entries = [pack(f.l1.leaseId, 0), pack(f.l2.leaseId, 0)];
    const { batchId } = await h.propose(f, entries);
    await f.escrow.connect(f.admin).pause();
    await f.registry.connect(f.admin).pause();
    await f.offerBook.connect(f.admin).pause();
    await f.escrow.connect(f.consumer).dispute(f.l2.leaseId);
    await f.escrow.connect(f.arbiter).resolveDispute(f.l2.leaseId, 0, 0);
    await f.escrow.finalizeResolved(f.l2.leaseId);
    await time.increase(CHALLENGE);
    await f.escrow.finalize(batchId, entries);
    const l3 = await (async () => { await f.escrow.connect(f.admin).unpause(); const l = await h.openLease(f); await f.escrow.connect(f.admin).pause(); return l; })();
    await time.increase(3600n + GRACE);
    await f.escrow.connect(f.consumer).reclaim(l3.leaseId);
    await f.escrow.connect(f.consumer).withdraw(await f.escrow.balanceOf(f.consumer.address));
    expect(await f.escrow.lockedOf(f.consumer.address)).to.equal(0n);
    expect(await f.token.balanceOf(await f.escrow.getAddress())).to.equal(0n);
  });
});

describe("LeaseEscrow: admin", function () {
  it("sets the fee rate (capped) and recipient; only the admin", async function () {
    const f = await loadFixture(h.marketFixture);
    await expect(f.escrow.connect(f.admin).setFeeBps(1001)).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowFeeTooHigh").withArgs(1001, 1000);
    await expect(f.escrow.connect(f.admin).setFeeBps(1000)).to.emit(f.escrow, "FeeBpsUpdated").withArgs(1000);
    await expect(f.escrow.connect(f.stranger).setFeeBps(1)).to.be.revertedWithCustomError(f.escrow, "AccessControlUnauthorizedAccount");
    await expect(f.escrow.connect(f.admin).setFeeRecipient(ethers.ZeroAddress)).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowZeroAddress");
    await expect(f.escrow.connect(f.admin).setFeeRecipient(f.stranger.address)).to.emit(f.escrow, "FeeRecipientUpdated").withArgs(f.stranger.address);
    await expect(f.escrow.connect(f.stranger).setFeeRecipient(f.stranger.address)).to.be.revertedWithCustomError(f.escrow, "AccessControlUnauthorizedAccount");
    expect(await f.escrow.feeRecipient()).to.equal(f.stranger.address);
  });

  it("rejects bad constructor arguments", async function () {
    const f = await loadFixture(h.marketFixture);
    const F = await ethers.getContractFactory("LeaseEscrow");
    const a = [await f.token.getAddress(), await f.registry.getAddress(), await f.offerBook.getAddress(), 60, 60, 0, f.admin.address, f.admin.address];
    await expect(F.deploy(...a.slice(0, 5), 1001, ...a.slice(6))).to.be.revertedWithCustomError(F, "LeaseEscrowFeeTooHigh");
    await expect(F.deploy(ethers.ZeroAddress, ...a.slice(1))).to.be.revertedWithCustomError(F, "LeaseEscrowZeroAddress");
    const max = 3650n * 86400n;
    await expect(F.deploy(...a.slice(0, 3), max + 1n, ...a.slice(4))).to.be.revertedWithCustomError(F, "LeaseEscrowPeriodTooLong").withArgs(max + 1n, max);
    await expect(F.deploy(...a.slice(0, 4), max + 1n, ...a.slice(5))).to.be.revertedWithCustomError(F, "LeaseEscrowPeriodTooLong").withArgs(max + 1n, max);
    await F.deploy(...a.slice(0, 3), max, max, ...a.slice(5));
  });

  it("pins the unit formulas (lockAmountOf, chargeOf)", async function () {
    const f = await loadFixture(h.marketFixture);
    expect(await f.escrow.lockAmountOf(1, 1, 1)).to.equal(1n); // ceil
    expect(await f.escrow.lockAmountOf(1000, 3600, 1_000_000)).to.equal(1_000_000n);
    expect(await f.escrow.chargeOf(3_599_999, 1)).to.equal(0n); // floor
    expect(await f.escrow.chargeOf(3_600_000, 7)).to.equal(7n);
  });
});

describe("LeaseEscrow: liveness", function () {
  it("a full batch (MAX_BATCH_SIZE leases, every one breached and slashing) finalizes well inside a block", async function () {
    this.timeout(120_000);
    const f = await loadFixture(h.marketFixture);
    const offerId = await h.postOffer(f, f.provider, { capacityMilli: 499n, penaltyBps: 10_000 });
    const n = Number(await f.escrow.MAX_BATCH_SIZE());
    const ids = [];
    for (let i = 0; i < n; i++) ids.push((await h.openLease(f, { offerId, milliNcu: 1n })).leaseId);
    await time.increase(10);
    const entries = ids.map((id) => pack(id, 1n, 1));
    const { batchId } = await h.propose(f, entries);
    await time.increase(CHALLENGE);
    const stake = await f.registry.stakeOf(f.provider.address);
    const rc = await (await f.escrow.finalize(batchId, entries)).wait();
    expect(rc.gasUsed).to.be.lessThan(15_000_000n);
    expect(await f.registry.stakeOf(f.provider.address)).to.equal(stake - BigInt(n) * 1000n); // penalty = lock = 1,000 each
    expect(await f.escrow.openLeaseCount(f.provider.address)).to.equal(0n);
  });
});
