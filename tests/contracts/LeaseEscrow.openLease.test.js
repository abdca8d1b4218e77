"use strict";
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const h = require("./helpers/fixtures");

const { TOKEN, BID_TYPES } = h;

async function twoOffersFixture() {
  const f = await h.marketFixture();
  // A grade-2 Parallel offer next to the grade-3 one, and a Logical offer.
  f.bigOfferId = await h.postOffer(f, f.provider, { capacityMilli: 50_000n });
  f.cpuOfferId = await h.postOffer(f, f.provider, { computeType: 0, capacityMilli: 4_000n });
  return f;
}

describe("LeaseEscrow: balances", function () {
  it("deposit credits the balance and pulls the tokens", async function () {
    const f = await loadFixture(h.marketFixture);
    const before = await f.token.balanceOf(f.consumer2.address);
    await expect(f.escrow.connect(f.consumer2).deposit(5n * TOKEN))
      .to.emit(f.escrow, "Deposited").withArgs(f.consumer2.address, 5n * TOKEN);
    expect(await f.escrow.balanceOf(f.consumer2.address)).to.equal(5n * TOKEN);
    expect(await f.token.balanceOf(f.consumer2.address)).to.equal(before - 5n * TOKEN);
    expect(await f.token.balanceOf(await f.escrow.getAddress())).to.equal(100_005n * TOKEN);
  });

  it("deposit of zero reverts", async function () {
    const f = await loadFixture(h.marketFixture);
    await expect(f.escrow.connect(f.consumer2).deposit(0)).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowZeroAmount");
  });

  it("depositFor credits another account; zero account reverts", async function () {
    const f = await loadFixture(h.marketFixture);
    await expect(f.escrow.connect(f.stranger).depositFor(f.consumer2.address, 7n))
      .to.emit(f.escrow, "Deposited").withArgs(f.consumer2.address, 7n);
    expect(await f.escrow.balanceOf(f.consumer2.address)).to.equal(7n);
    await expect(f.escrow.connect(f.stranger).depositFor(ethers.ZeroAddress, 7n))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowZeroAddress");
  });

  it("depositWithPermit deposits with an EIP-2612 permit and no prior approval", async function () {
    const f = await loadFixture(h.marketFixture);
    const wallet = f.signers[15];
    await f.token.mint(wallet.address, 10n * TOKEN);
    const deadline = BigInt(await time.latest()) + 600n;
    const net = await ethers.provider.getNetwork();
    const sig = ethers.Signature.from(await wallet.signTypedData(
      { name: "Test USD", version: "1", chainId: net.chainId, verifyingContract: await f.token.getAddress() },
      { Permit: [{ name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] },
      { owner: wallet.address, spender: await f.escrow.getAddress(), value: 10n * TOKEN, nonce: 0n, deadline }));
    await expect(f.escrow.connect(wallet).depositWithPermit(10n * TOKEN, deadline, sig.v, sig.r, sig.s))
      .to.emit(f.escrow, "Deposited").withArgs(wallet.address, 10n * TOKEN);
    expect(await f.escrow.balanceOf(wallet.address)).to.equal(10n * TOKEN);
    // A replayed (now invalid) permit is ignored; without allowance the transfer fails.
    await f.token.mint(wallet.address, 10n * TOKEN);
    await expect(f.escrow.connect(wallet).depositWithPermit(10n * TOKEN, deadline, sig.v, sig.r, sig.s))
      .to.be.revertedWithCustomError(f.token, "ERC20InsufficientAllowance");
  });

  it("withdraw pays out the free balance; above it reverts", async function () {
    const f = await loadFixture(h.marketFixture);
    const before = await f.token.balanceOf(f.consumer.address);
    await expect(f.escrow.connect(f.consumer).withdraw(1n * TOKEN))
      .to.emit(f.escrow, "Withdrawn").withArgs(f.consumer.address, 1n * TOKEN);
    expect(await f.token.balanceOf(f.consumer.address)).to.equal(before + 1n * TOKEN);
    const bal = await f.escrow.balanceOf(f.consumer.address);
    await expect(f.escrow.connect(f.consumer).withdraw(bal + 1n))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInsufficientBalance").withArgs(bal, bal + 1n);
    await expect(f.escrow.connect(f.consumer).withdraw(0)).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowZeroAmount");
  });

  it("withdraw cannot touch locked funds", async function () {
    const f = await loadFixture(h.marketFixture);
    await f.escrow.connect(f.consumer2).deposit(1n * TOKEN);
    await h.openLease(f, { signer: f.consumer2 }); // locks exactly 1 token (1,000 mNCU × 1 h × 1 token/NCU-h)
    expect(await f.escrow.lockedOf(f.consumer2.address)).to.equal(1n * TOKEN);
    expect(await f.escrow.balanceOf(f.consumer2.address)).to.equal(0n);
    await expect(f.escrow.connect(f.consumer2).withdraw(1n))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInsufficientBalance").withArgs(0n, 1n);
  });
});

describe("LeaseEscrow: openLease", function () {
  it("opens a lease from a bid signed with signTypedData", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f, { milliNcu: 2_000n, maxDurationSec: 1800 });
    const sig = await h.signBid(f, bid);
    const price = 1_500_000n;
    const lock = h.lockAmount(2_000n, 1800, price);
    const tx = f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, price);
    await expect(tx).to.emit(f.escrow, "LeaseOpened").withArgs(
      1n, f.consumer.address, f.provider.address, f.offerId, bid.jobSpecHash, 1, 3, 2_000n, price, 1800, lock,
      (t) => t > 0n, bid.nonce);
    const lease = await f.escrow.getLease(1);
    expect(lease.consumer).to.equal(f.consumer.address);
    expect(lease.provider).to.equal(f.provider.address);
    expect(lease.offerId).to.equal(f.offerId);
    expect(lease.milliNcu).to.equal(2_000n);
    expect(lease.pricePerNcuHour).to.equal(price);
    expect(lease.maxDurationSec).to.equal(1800n);
    expect(lease.penaltyBps).to.equal(1000n);
    expect(lease.lockAmount).to.equal(lock);
    expect(lease.state).to.equal(1n);
    expect(await f.escrow.lockedOf(f.consumer.address)).to.equal(lock);
    expect(await f.escrow.balanceOf(f.consumer.address)).to.equal(100_000n * TOKEN - lock);
    expect(await f.escrow.openLeaseCount(f.provider.address)).to.equal(1n);
    expect(await f.escrow.isNonceUsed(f.consumer.address, bid.nonce)).to.equal(true);
    expect(await f.offerBook.freeCapacityOf(f.offerId)).to.equal(6_000n);
    expect(await f.escrow.leaseCount()).to.equal(1n);
    expect(await f.escrow.offerProviderOf(f.offerId)).to.equal(f.provider.address);
  });

  it("hashBid equals ethers' EIP-712 hash and the domain is ComputeMarket/1", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f);
    const domain = await h.bidDomain(f.escrow);
    expect(await f.escrow.hashBid(bid)).to.equal(ethers.TypedDataEncoder.hash(domain, BID_TYPES, bid));
    expect(await f.escrow.domainSeparator()).to.equal(ethers.TypedDataEncoder.hashDomain(domain));
    expect(await f.escrow.BID_TYPEHASH()).to.equal(ethers.id(
      "Bid(address consumer,bytes32 jobSpecHash,uint8 computeType,uint8 grade,uint64 milliNcu,uint256 maxPricePerNcuHour,uint32 maxDurationSec,uint16 minUptimeBps,bytes32 constraintsHash,uint256 nonce,uint64 deadline)"));
  });

  it("the same bid with any single field changed does not open (all 11 fields)", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f);
    const sig = await h.signBid(f, bid);
    const changes = {
      consumer: f.consumer2.address,
      jobSpecHash: ethers.id("another job"),
      computeType: 0,
      grade: 4,
      milliNcu: bid.milliNcu + 1n,
      maxPricePerNcuHour: bid.maxPricePerNcuHour + 1n,
      maxDurationSec: bid.maxDurationSec - 1,
      minUptimeBps: bid.minUptimeBps - 1,
      constraintsHash: ethers.id("gpu=h100"),
      nonce: bid.nonce + 1n,
      deadline: bid.deadline + 1n,
    };
    expect(Object.keys(changes)).to.deep.equal(BID_TYPES.Bid.map((x) => x.name));
    await f.escrow.connect(f.consumer2).deposit(10n * TOKEN);
    for (const [field, value] of Object.entries(changes)) {
      const tampered = { ...bid, [field]: value };
      const call = f.escrow.connect(f.matcher).openLease(tampered, sig, f.offerId, h.DEFAULT_OFFER.price);
      if (field === "grade") {
        // grade 4 cannot name 1,000 mNCU: rejected before the signature is even checked.
        await expect(call, field).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowBidGradeInvalid").withArgs(4, 3);
      } else {
        await expect(call, field).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidSignature")
          .withArgs(tampered.consumer);
      }
    }
    // A grade change that is self-consistent (milliNcu changed with it) still fails on the signature.
    await expect(f.escrow.connect(f.matcher).openLease({ ...bid, grade: 4, milliNcu: 400n }, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidSignature");
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price)).to.emit(f.escrow, "LeaseOpened");
  });

  it("rejects a signature by someone else", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f);
    const sig = await h.signBid(f, bid, f.stranger);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidSignature").withArgs(f.consumer.address);
  });

  it("rejects a malformed signature", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f);
    await expect(f.escrow.connect(f.matcher).openLease(bid, "0x1234", f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidSignature");
  });

  it("rejects a signature for another chain", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f);
    const sig = await h.signBid(f, bid, f.consumer, { chainId: 1n });
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidSignature");
  });

  it("rejects a signature for another contract, name or version", async function () {
    const f = await loadFixture(h.marketFixture);
    for (const o of [{ verifyingContract: await f.registry.getAddress() }, { name: "Other" }, { version: "2" }]) {
      const bid = await h.makeBid(f);
      const sig = await h.signBid(f, bid, f.consumer, o);
      await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
        .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidSignature");
    }
  });

  it("rejects a replayed nonce", async function () {
    const f = await loadFixture(h.marketFixture);
    const { bid, sig } = await h.openLease(f);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowNonceUsed").withArgs(f.consumer.address, bid.nonce);
    // Nonces are per consumer and unordered: a large nonce works, and only once.
    await h.openLease(f, { nonce: 2n ** 255n + 7n });
    expect(await f.escrow.isNonceUsed(f.consumer.address, 2n ** 255n + 7n)).to.equal(true);
    expect(await f.escrow.isNonceUsed(f.consumer.address, 2n ** 255n + 6n)).to.equal(false);
  });

  it("a consumer cancels a signed bid by burning its nonce", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f);
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.consumer).cancelBid(bid.nonce)).to.emit(f.escrow, "BidCancelled").withArgs(f.consumer.address, bid.nonce);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowNonceUsed").withArgs(f.consumer.address, bid.nonce);
    await expect(f.escrow.connect(f.consumer).cancelBid(bid.nonce))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowNonceUsed").withArgs(f.consumer.address, bid.nonce);
  });

  it("rejects an expired deadline", async function () {
    const f = await loadFixture(h.marketFixture);
    const deadline = BigInt(await time.latest()) + 10n;
    const bid = await h.makeBid(f, { deadline });
    const sig = await h.signBid(f, bid);
    await time.increaseTo(deadline + 1n);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowBidExpired").withArgs(deadline);
  });

  it("accepts a bid in its deadline's own second", async function () {
    const f = await loadFixture(h.marketFixture);
    const deadline = BigInt(await time.latest()) + 10n;
    const bid = await h.makeBid(f, { deadline });
    const sig = await h.signBid(f, bid);
    await time.setNextBlockTimestamp(deadline);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price)).to.emit(f.escrow, "LeaseOpened");
  });

  it("rejects a price above the bid's maximum", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f, { maxPricePerNcuHour: 1_200_000n });
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, 1_200_001n))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowPriceAboveBid").withArgs(1_200_001n, 1_200_000n);
  });

  it("rejects a price below the offer's", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f);
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price - 1n))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowPriceBelowOffer").withArgs(h.DEFAULT_OFFER.price - 1n, h.DEFAULT_OFFER.price);
  });

  it("rejects a price that does not fit 96 bits", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f, { maxPricePerNcuHour: ethers.MaxUint256 });
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, 2n ** 96n))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowPriceTooLarge").withArgs(2n ** 96n);
  });

  it("rejects an offer id beyond 48 bits", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f);
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, 2n ** 48n, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowOfferIdTooLarge").withArgs(2n ** 48n);
  });

  it("rejects a bid whose grade is not gradeOf(milliNcu), or of 0 mNCU or 0 s", async function () {
    const f = await loadFixture(h.marketFixture);
    for (const [m, g, exp] of [[1_000n, 2, 3], [499n, 3, 4], [0n, 4, 0]]) {
      const bid = await h.makeBid(f, { milliNcu: m, grade: g });
      const sig = await h.signBid(f, bid);
      await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
        .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowBidGradeInvalid").withArgs(g, exp);
    }
    const bid = await h.makeBid(f, { maxDurationSec: 0 });
    await expect(f.escrow.connect(f.matcher).openLease(bid, await h.signBid(f, bid), f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidBid");
  });

  it("rejects a grade mismatch between bid and offer", async function () {
    const f = await loadFixture(twoOffersFixture);
    const bid = await h.makeBid(f, { milliNcu: 1_000n }); // grade 3
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.bigOfferId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowGradeMismatch").withArgs(3, 2);
  });

  it("rejects a compute-type mismatch", async function () {
    const f = await loadFixture(twoOffersFixture);
    const bid = await h.makeBid(f, { computeType: 1 });
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.cpuOfferId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowComputeTypeMismatch").withArgs(1, 0);
  });

  it("rejects a minimum uptime above the offer's", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f, { minUptimeBps: 9901 });
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowUptimeTooLow").withArgs(9901, 9900);
  });

  it("rejects a duration above the offer's maximum", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f, { maxDurationSec: 7201 });
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowDurationTooLong").withArgs(7201, 7200);
  });

  it("rejects a lease once the offer's capacity is exhausted", async function () {
    const f = await loadFixture(h.marketFixture);
    for (let i = 0; i < 8; i++) await h.openLease(f); // 8 × 1,000 of 8,000 mNCU
    expect(await f.offerBook.freeCapacityOf(f.offerId)).to.equal(0n);
    const bid = await h.makeBid(f);
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookCapacityExhausted").withArgs(f.offerId, 0n, 1_000n);
  });

  it("rejects a withdrawn, expired or unknown offer, and an inactive provider", async function () {
    const f = await loadFixture(h.marketFixture);
    const now = BigInt(await time.latest());
    const shortOffer = await h.postOffer(f, f.provider, { capacityMilli: 1_000n, expiresAt: now + 100n });
    let bid = await h.makeBid(f, { deadline: now + 10_000n });
    let sig = await h.signBid(f, bid);
    await time.increaseTo(now + 100n);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, shortOffer, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookOfferExpired").withArgs(shortOffer, now + 100n);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, 999, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookOfferNotActive").withArgs(999);
    await f.registry.connect(f.provider).requestUnbond();
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookProviderNotActive").withArgs(f.provider.address);
    await f.registry.connect(f.provider).cancelUnbond();
    await f.offerBook.connect(f.provider).withdrawOffer(f.offerId);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.offerBook, "OfferBookOfferNotActive").withArgs(f.offerId);
  });

  it("rejects a consumer without enough free balance", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f, { consumer: f.consumer2.address });
    const sig = await h.signBid(f, bid, f.consumer2);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInsufficientBalance").withArgs(0n, 1n * TOKEN);
  });

  it("rejects a caller without MATCHER_ROLE", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f);
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.stranger).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "AccessControlUnauthorizedAccount")
      .withArgs(f.stranger.address, await f.escrow.MATCHER_ROLE());
  });

  it("rejects openLease and deposit while paused; withdraw stays open", async function () {
    const f = await loadFixture(h.marketFixture);
    const bid = await h.makeBid(f);
    const sig = await h.signBid(f, bid);
    await expect(f.escrow.connect(f.stranger).pause())
      .to.be.revertedWithCustomError(f.escrow, "AccessControlUnauthorizedAccount");
    await expect(f.escrow.connect(f.admin).pause()).to.emit(f.escrow, "Paused");
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "EnforcedPause");
    await expect(f.escrow.connect(f.consumer).deposit(1)).to.be.revertedWithCustomError(f.escrow, "EnforcedPause");
    await expect(f.escrow.connect(f.consumer).depositFor(f.consumer2.address, 1)).to.be.revertedWithCustomError(f.escrow, "EnforcedPause");
    await expect(f.escrow.connect(f.consumer).depositWithPermit(1, 0, 27, ethers.ZeroHash, ethers.ZeroHash))
      .to.be.revertedWithCustomError(f.escrow, "EnforcedPause");
    await expect(f.escrow.connect(f.consumer).withdraw(1)).to.emit(f.escrow, "Withdrawn");
    await expect(f.escrow.connect(f.admin).unpause()).to.emit(f.escrow, "Unpaused");
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price)).to.emit(f.escrow, "LeaseOpened");
  });

  it("opens a lease for an ERC-1271 smart-contract wallet", async function () {
    const f = await loadFixture(h.marketFixture);
    const wallet = await (await ethers.getContractFactory("MockERC1271Wallet")).deploy(f.consumer2.address);
    const w = await wallet.getAddress();
    await f.token.mint(w, 10n * TOKEN);
    await wallet.connect(f.consumer2).exec(await f.token.getAddress(),
      f.token.interface.encodeFunctionData("approve", [await f.escrow.getAddress(), 10n * TOKEN]));
    await wallet.connect(f.consumer2).exec(await f.escrow.getAddress(), f.escrow.interface.encodeFunctionData("deposit", [10n * TOKEN]));
    const bid = await h.makeBid(f, { consumer: w });
    const sig = await h.signBid(f, bid, f.consumer2);
    await expect(f.escrow.connect(f.matcher).openLease(bid, sig, f.offerId, h.DEFAULT_OFFER.price))
      .to.emit(f.escrow, "LeaseOpened");
    const bad = await h.makeBid(f, { consumer: w });
    await expect(f.escrow.connect(f.matcher).openLease(bad, await h.signBid(f, bad, f.stranger), f.offerId, h.DEFAULT_OFFER.price))
      .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInvalidSignature").withArgs(w);
  });
});

describe("LeaseEscrow: EIP-712 test vector (shared with the C# Market.Chain tests)", function () {
  it("pins typehash, domain separator, struct hash, digest and signature", async function () {
    const w = ethers.HDNodeWallet.fromPhrase("test test test test test test test test test test test junk", undefined, "m/44'/60'/0'/0/7");
    expect(w.address).to.equal("0x14dC79964da2C08b23698B3D3cc7Ca32193d9955");
    const domain = { name: "ComputeMarket", version: "1", chainId: 31337, verifyingContract: "0xCf7Ed3AccA5a467e9e704C703E8D87F634fB0Fc9" };
    const bid = {
      consumer: w.address, jobSpecHash: ethers.id('{"image":"busybox","cmd":["echo","hi"]}'), computeType: 1, grade: 3,
      milliNcu: 2000n, maxPricePerNcuHour: 1_500_000n, maxDurationSec: 3600, minUptimeBps: 9900, constraintsHash: ethers.ZeroHash,
      nonce: 42n, deadline: 1_800_000_000n,
    };
    expect(bid.jobSpecHash).to.equal("0x528a2383c2af6c93e2aa4b51db0de3e45ce62835f1b52da978490a1c5e8efb09");
    expect(ethers.TypedDataEncoder.hashDomain(domain)).to.equal("0xe3cedd224ee94113f7a3326d4985e4c15a3876340bebf554ce95c6bb4cb9af04");
    expect(ethers.TypedDataEncoder.hashStruct("Bid", BID_TYPES, bid)).to.equal("0xbb4854bc4fdd50ed06653a8b39dcbd79636c36f19b3b3f948c90bf5f1f6b16cc");
    expect(ethers.TypedDataEncoder.hash(domain, BID_TYPES, bid)).to.equal("0x9e5a3bf931f0af8f6a9cb825e91d75674546d0032a27fe7b2385fbadf6e77ce5");
    expect(await w.signTypedData(domain, BID_TYPES, bid)).to.equal(
      "0x1705122e555c0810ba949820d4439a8cef254413bb24b76846ae5960b38d6528066dbb5faf3439813004a31324e680d242b134664d912636fc31cfb235452d861b");
    const f = await loadFixture(h.marketFixture);
    expect(await f.escrow.BID_TYPEHASH()).to.equal("0x3e8bdce7fc3f97dccdfda2f6e32d897acb6d65e49437bfa314c2667add5734b2");
  });
});
