"use strict";
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time, impersonateAccount, setBalance } = require("@nomicfoundation/hardhat-network-helpers");
const h = require("./helpers/fixtures");

const O = h.DEFAULT_OFFER;

async function registeredFixture() {
  const f = await h.baseFixture();
  await h.registerProvider(f, f.provider, 2_000_000n);
  return f;
}

async function args(o = {}) {
  const x = { ...O, ...o };
  return [x.computeType, x.grade ?? h.gradeOf(x.capacityMilli), x.capacityMilli, x.price, x.maxDurationSec, x.uptimeBps,
    x.penaltyBps, x.region, x.attributesHash, x.expiresAt ?? BigInt(await time.latest()) + 86400n];
}

describe("OfferBook", function () {
  it("posts an offer and reads it back", async function () {
    const f = await loadFixture(registeredFixture);
    const a = await args();
    await expect(f.offerBook.connect(f.provider).postOffer(...a))
      .to.emit(f.offerBook, "OfferPosted").withArgs(1n, f.provider.address, ...a);
    const o = await f.offerBook.getOffer(1);
    expect(o.provider).to.equal(f.provider.address);
    expect(o.capacityMilli).to.equal(O.capacityMilli);
    expect(o.reservedMilli).to.equal(0n);
    expect(o.pricePerNcuHour).to.equal(O.price);
    expect(o.grade).to.equal(3n);
    expect(o.active).to.equal(true);
    expect(o.region).to.equal(O.region);
    expect(o.attributesHash).to.equal(O.attributesHash);
    expect(o.expiresAt).to.equal(a[9]);
    expect(await f.offerBook.offerCount()).to.equal(1n);
    expect(await f.offerBook.freeCapacityOf(1)).to.equal(O.capacityMilli);
    expect(await f.offerBook.committedOf(f.provider.address, 1)).to.equal(O.capacityMilli);
    expect(await f.offerBook.committedOf(f.provider.address, 7)).to.equal(0n);
  });

  it("requires grade = gradeOf(capacity) at every threshold", async function () {
    const f = await loadFixture(registeredFixture);
    const cases = [[1n, 4], [499n, 4], [500n, 3], [9_999n, 3], [10_000n, 2], [1_000_000n, 2], [1_000_001n, 1]];
    for (const [m, g] of cases) {
      expect(await f.offerBook.gradeOf(m)).to.equal(BigInt(g));
      const wrong = g === 1 ? 2 : g - 1;
      await expect(f.offerBook.connect(f.provider).postOffer(...(await args({ capacityMilli: m, grade: wrong, computeType: 2 }))))
        .to.be.revertedWithCustomError(f.offerBook, "OfferBookGradeMismatch").withArgs(wrong, g);
    }
    expect(await f.offerBook.gradeOf(0)).to.equal(0n);
    await f.offerBook.connect(f.provider).postOffer(...(await args({ capacityMilli: 1_000_001n, computeType: 2 })));
  });

  it("rejects invalid terms", async function () {
    const f = await loadFixture(registeredFixture);
    const p = f.offerBook.connect(f.provider);
    await expect(p.postOffer(...(await args({ computeType: 3 })))).to.be.revertedWithCustomError(f.offerBook, "OfferBookInvalidComputeType").withArgs(3);
    await expect(p.postOffer(...(await args({ capacityMilli: 0n, grade: 0 })))).to.be.revertedWithCustomError(f.offerBook, "OfferBookZeroCapacity");
    await expect(p.postOffer(...(await args({ price: 0n })))).to.be.revertedWithCustomError(f.offerBook, "OfferBookInvalidPrice").withArgs(0);
    await expect(p.postOffer(...(await args({ price: 2n ** 96n })))).to.be.revertedWithCustomError(f.offerBook, "OfferBookInvalidPrice").withArgs(2n ** 96n);
    await expect(p.postOffer(...(await args({ maxDurationSec: 0 })))).to.be.revertedWithCustomError(f.offerBook, "OfferBookInvalidDuration").withArgs(0);
    await expect(p.postOffer(...(await args({ uptimeBps: 10_001 })))).to.be.revertedWithCustomError(f.offerBook, "OfferBookInvalidBps").withArgs(10_001);
    await expect(p.postOffer(...(await args({ penaltyBps: 10_001 })))).to.be.revertedWithCustomError(f.offerBook, "OfferBookInvalidBps").withArgs(10_001);
    const now = BigInt(await time.latest());
    await expect(p.postOffer(...(await args({ expiresAt: now })))).to.be.revertedWithCustomError(f.offerBook, "OfferBookInvalidExpiry");
    await expect(p.postOffer(...(await args({ expiresAt: 2n ** 40n })))).to.be.revertedWithCustomError(f.offerBook, "OfferBookInvalidExpiry").withArgs(2n ** 40n);
  });

  it("requires an Active provider", async function () {
    const f = await loadFixture(registeredFixture);
    await expect(f.offerBook.connect(f.stranger).postOffer(...(await args())))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookProviderNotActive").withArgs(f.stranger.address);
    await f.registry.connect(f.provider).requestUnbond();
    await expect(f.offerBook.connect(f.provider).postOffer(...(await args())))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookProviderNotActive").withArgs(f.provider.address);
  });

  it("keeps Σ live offer capacity per type within the attestation", async function () {
    const f = await loadFixture(h.baseFixture);
    await f.registry.connect(f.provider).register("", ethers.ZeroHash, h.MIN_STAKE);
    await f.registry.connect(f.provider).attestCapacity(1, 15_000n, ethers.ZeroHash);
    const p = f.offerBook.connect(f.provider);
    await p.postOffer(...(await args({ capacityMilli: 8_000n })));
    await expect(p.postOffer(...(await args({ capacityMilli: 7_001n }))))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookCapacityExceedsAttestation").withArgs(1, 15_001n, 15_000n);
    await expect(p.postOffer(...(await args({ capacityMilli: 1n, computeType: 0 }))))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookCapacityExceedsAttestation").withArgs(0, 1n, 0n);
    await p.postOffer(...(await args({ capacityMilli: 7_000n })));
    await p.withdrawOffer(1);
    await p.postOffer(...(await args({ capacityMilli: 8_000n })));
    expect(await f.offerBook.committedOf(f.provider.address, 1)).to.equal(15_000n);
  });

  it("updates the price of a live offer; open leases keep theirs", async function () {
    const f = await loadFixture(h.marketFixture);
    const { leaseId } = await h.openLease(f);
    await expect(f.offerBook.connect(f.provider).updatePrice(f.offerId, 5n)).to.emit(f.offerBook, "OfferPriceUpdated").withArgs(f.offerId, 5n);
    expect((await f.offerBook.getOffer(f.offerId)).pricePerNcuHour).to.equal(5n);
    expect((await f.escrow.getLease(leaseId)).pricePerNcuHour).to.equal(O.price);
    await expect(f.offerBook.connect(f.stranger).updatePrice(f.offerId, 5n))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookNotOfferOwner").withArgs(f.offerId, f.stranger.address);
    await expect(f.offerBook.connect(f.provider).updatePrice(f.offerId, 0n)).to.be.revertedWithCustomError(f.offerBook, "OfferBookInvalidPrice");
    await f.offerBook.connect(f.admin).pause();
    await expect(f.offerBook.connect(f.provider).updatePrice(f.offerId, 6n)).to.be.revertedWithCustomError(f.offerBook, "EnforcedPause");
    await expect(f.offerBook.connect(f.provider).postOffer(...(await args()))).to.be.revertedWithCustomError(f.offerBook, "EnforcedPause");
    // withdrawOffer stays open while paused.
    await expect(f.offerBook.connect(f.provider).withdrawOffer(f.offerId)).to.emit(f.offerBook, "OfferWithdrawn").withArgs(f.offerId, 1_000n);
    await expect(f.offerBook.connect(f.provider).updatePrice(f.offerId, 6n)).to.be.revertedWithCustomError(f.offerBook, "EnforcedPause");
    await f.offerBook.connect(f.admin).unpause();
    await expect(f.offerBook.connect(f.provider).updatePrice(f.offerId, 6n))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookOfferNotActive").withArgs(f.offerId);
  });

  it("withdrawing an offer in use keeps the reserved part committed until it is released", async function () {
    const f = await loadFixture(h.marketFixture);
    const { leaseId } = await h.openLease(f);
    await expect(f.offerBook.connect(f.stranger).withdrawOffer(f.offerId))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookNotOfferOwner");
    await f.offerBook.connect(f.provider).withdrawOffer(f.offerId);
    expect(await f.offerBook.committedOf(f.provider.address, 1)).to.equal(1_000n);
    expect(await f.offerBook.freeCapacityOf(f.offerId)).to.equal(0n);
    await expect(f.offerBook.connect(f.provider).withdrawOffer(f.offerId))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookOfferNotActive");
    await time.increase(3600n + h.GRACE);
    await f.escrow.connect(f.consumer).reclaim(leaseId);
    expect(await f.offerBook.committedOf(f.provider.address, 1)).to.equal(0n);
    const o = await f.offerBook.getOffer(f.offerId);
    expect([o.capacityMilli, o.reservedMilli]).to.deep.equal([0n, 0n]);
  });

  it("reserve and release are for the escrow only", async function () {
    const f = await loadFixture(h.marketFixture);
    await expect(f.offerBook.connect(f.admin).reserve(f.offerId, 1))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookOnlyEscrow").withArgs(f.admin.address);
    await expect(f.offerBook.connect(f.admin).release([f.offerId], [1]))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookOnlyEscrow").withArgs(f.admin.address);
    const addr = await f.escrow.getAddress();
    await impersonateAccount(addr);
    await setBalance(addr, 10n ** 18n);
    const esc = await ethers.getSigner(addr);
    await expect(f.offerBook.connect(esc).release([f.offerId], [1, 2])).to.be.revertedWithCustomError(f.offerBook, "OfferBookLengthMismatch");
    await f.offerBook.connect(esc).reserve(f.offerId, 3000);
    expect(await f.offerBook.freeCapacityOf(f.offerId)).to.equal(5_000n);
    await f.offerBook.connect(esc).release([f.offerId, f.offerId], [1000, 2000]);
    expect(await f.offerBook.freeCapacityOf(f.offerId)).to.equal(8_000n);
  });

  it("escrow is wired once, by the admin", async function () {
    const f = await loadFixture(h.baseFixture);
    await expect(f.offerBook.connect(f.admin).setEscrow(f.admin.address))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookEscrowAlreadySet");
    const B = await ethers.getContractFactory("OfferBook");
    const b = await B.deploy(await f.registry.getAddress(), f.admin.address);
    await expect(b.connect(f.stranger).setEscrow(f.stranger.address)).to.be.revertedWithCustomError(b, "AccessControlUnauthorizedAccount");
    await expect(b.setEscrow(ethers.ZeroAddress)).to.be.revertedWithCustomError(b, "OfferBookZeroAddress");
    await expect(b.setEscrow(f.stranger.address)).to.emit(b, "EscrowSet").withArgs(f.stranger.address);
    await expect(B.deploy(ethers.ZeroAddress, f.admin.address)).to.be.revertedWithCustomError(B, "OfferBookZeroAddress");
    await expect(b.connect(f.stranger).pause()).to.be.revertedWithCustomError(b, "AccessControlUnauthorizedAccount");
  });
});
