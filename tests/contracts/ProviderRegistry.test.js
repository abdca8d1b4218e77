"use strict";
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time, impersonateAccount, setBalance } = require("@nomicfoundation/hardhat-network-helpers");
const h = require("./helpers/fixtures");

const { TOKEN, MIN_STAKE, UNBONDING } = h;
const ST = { None: 0n, Active: 1n, Unbonding: 2n, Jailed: 3n };

async function registeredFixture() {
  const f = await h.baseFixture();
  await h.registerProvider(f, f.provider);
  return f;
}

async function asEscrow(f) {
  const addr = await f.escrow.getAddress();
  await impersonateAccount(addr);
  await setBalance(addr, 10n ** 18n);
  return ethers.getSigner(addr);
}

describe("ProviderRegistry", function () {
  it("registers with a stake ≥ minStake pulled by transferFrom", async function () {
    const f = await loadFixture(h.baseFixture);
    const before = await f.token.balanceOf(f.provider.address);
    await expect(f.registry.connect(f.provider).register("ipfs://m", ethers.id("a"), MIN_STAKE))
      .to.emit(f.registry, "ProviderRegistered").withArgs(f.provider.address, MIN_STAKE, "ipfs://m", ethers.id("a"))
      .and.to.emit(f.registry, "ProviderStatusChanged").withArgs(f.provider.address, ST.Active);
    expect(await f.token.balanceOf(f.provider.address)).to.equal(before - MIN_STAKE);
    expect(await f.registry.stakeOf(f.provider.address)).to.equal(MIN_STAKE);
    expect(await f.registry.statusOf(f.provider.address)).to.equal(ST.Active);
    const p = await f.registry.getProvider(f.provider.address);
    expect(p.metadataUri).to.equal("ipfs://m");
    expect(p.attestationHash).to.equal(ethers.id("a"));
  });

  it("rejects a stake below minStake, a second registration, and registration while paused", async function () {
    const f = await loadFixture(h.baseFixture);
    await expect(f.registry.connect(f.provider).register("", ethers.ZeroHash, MIN_STAKE - 1n))
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryStakeTooLow").withArgs(MIN_STAKE - 1n, MIN_STAKE);
    await f.registry.connect(f.provider).register("", ethers.ZeroHash, MIN_STAKE);
    await expect(f.registry.connect(f.provider).register("", ethers.ZeroHash, MIN_STAKE))
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryAlreadyRegistered").withArgs(f.provider.address);
    await expect(f.registry.connect(f.stranger).pause()).to.be.revertedWithCustomError(f.registry, "AccessControlUnauthorizedAccount");
    await f.registry.connect(f.admin).pause();
    await expect(f.registry.connect(f.provider2).register("", ethers.ZeroHash, MIN_STAKE))
      .to.be.revertedWithCustomError(f.registry, "EnforcedPause");
    await expect(f.registry.connect(f.provider).addStake(1)).to.be.revertedWithCustomError(f.registry, "EnforcedPause");
    await expect(f.registry.connect(f.provider).attestCapacity(0, 1, ethers.ZeroHash)).to.be.revertedWithCustomError(f.registry, "EnforcedPause");
    await expect(f.registry.connect(f.provider).setMetadata("x", ethers.ZeroHash)).to.be.revertedWithCustomError(f.registry, "EnforcedPause");
    // Exits stay open.
    await expect(f.registry.connect(f.provider).requestUnbond()).to.emit(f.registry, "UnbondRequested");
    await f.registry.connect(f.admin).unpause();
    await f.registry.connect(f.provider2).register("", ethers.ZeroHash, MIN_STAKE);
  });

  it("registerWithPermit stakes without a prior approval", async function () {
    const f = await loadFixture(h.baseFixture);
    const w = f.signers[16];
    await f.token.mint(w.address, MIN_STAKE);
    const deadline = BigInt(await time.latest()) + 600n;
    const net = await ethers.provider.getNetwork();
    const sig = ethers.Signature.from(await w.signTypedData(
      { name: "Test USD", version: "1", chainId: net.chainId, verifyingContract: await f.token.getAddress() },
      { Permit: [{ name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] },
      { owner: w.address, spender: await f.registry.getAddress(), value: MIN_STAKE, nonce: 0n, deadline }));
    await expect(f.registry.connect(w).registerWithPermit("uri", ethers.id("x"), MIN_STAKE, deadline, sig.v, sig.r, sig.s))
      .to.emit(f.registry, "ProviderRegistered").withArgs(w.address, MIN_STAKE, "uri", ethers.id("x"));
    expect(await f.token.balanceOf(await f.registry.getAddress())).to.equal(MIN_STAKE);
  });

  it("records capacity attestations per compute type", async function () {
    const f = await loadFixture(registeredFixture);
    await expect(f.registry.connect(f.provider).attestCapacity(2, 123_456n, ethers.id("npu")))
      .to.emit(f.registry, "CapacityAttested").withArgs(f.provider.address, 2, 123_456n, ethers.id("npu"));
    expect(await f.registry.capacityOf(f.provider.address, 2)).to.equal(123_456n);
    expect(await f.registry.capacityOf(f.provider.address, 9)).to.equal(0n);
    expect(await f.registry.capacitiesOf(f.provider.address)).to.deep.equal([100_000n, 100_000n, 123_456n]);
    await expect(f.registry.connect(f.provider).attestCapacity(3, 1, ethers.ZeroHash))
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryInvalidComputeType").withArgs(3);
    await expect(f.registry.connect(f.stranger).attestCapacity(0, 1, ethers.ZeroHash))
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryNotRegistered").withArgs(f.stranger.address);
  });

  it("updates metadata", async function () {
    const f = await loadFixture(registeredFixture);
    await expect(f.registry.connect(f.provider).setMetadata("ipfs://new", ethers.id("n")))
      .to.emit(f.registry, "ProviderMetadataUpdated").withArgs(f.provider.address, "ipfs://new", ethers.id("n"));
    expect((await f.registry.getProvider(f.provider.address)).metadataUri).to.equal("ipfs://new");
    await expect(f.registry.connect(f.stranger).setMetadata("x", ethers.ZeroHash))
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryNotRegistered");
  });

  it("adds stake; zero and unregistered callers are refused", async function () {
    const f = await loadFixture(registeredFixture);
    const s = await f.registry.stakeOf(f.provider.address);
    await expect(f.registry.connect(f.provider).addStake(5n)).to.emit(f.registry, "StakeAdded").withArgs(f.provider.address, 5n, s + 5n);
    await expect(f.registry.connect(f.provider).addStake(0)).to.be.revertedWithCustomError(f.registry, "ProviderRegistryZeroAmount");
    await expect(f.registry.connect(f.stranger).addStake(1)).to.be.revertedWithCustomError(f.registry, "ProviderRegistryNotRegistered");
  });

  it("unbonds: requestUnbond → withdrawStake after the period, with no open lease", async function () {
    const f = await loadFixture(h.marketFixture);
    const { leaseId } = await h.openLease(f);
    await expect(f.registry.connect(f.provider).withdrawStake())
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryNotUnbonding").withArgs(f.provider.address);
    const tx = await f.registry.connect(f.provider).requestUnbond();
    const at = BigInt((await ethers.provider.getBlock((await tx.wait()).blockNumber)).timestamp) + UNBONDING;
    await expect(tx).to.emit(f.registry, "UnbondRequested").withArgs(f.provider.address, at);
    expect(await f.registry.statusOf(f.provider.address)).to.equal(ST.Unbonding);
    await expect(f.registry.connect(f.provider).requestUnbond())
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryCannotUnbond").withArgs(f.provider.address, ST.Unbonding);
    await expect(f.registry.connect(f.provider).withdrawStake())
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryUnbondingNotElapsed").withArgs(at);
    await time.increaseTo(at);
    await expect(f.registry.connect(f.provider).withdrawStake())
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryOpenLeases").withArgs(1n);
    await f.escrow.connect(f.consumer).reclaim(leaseId); // long past start + maxDuration + grace
    const stake = await f.registry.stakeOf(f.provider.address);
    const before = await f.token.balanceOf(f.provider.address);
    await expect(f.registry.connect(f.provider).withdrawStake())
      .to.emit(f.registry, "StakeWithdrawn").withArgs(f.provider.address, stake)
      .and.to.emit(f.registry, "ProviderStatusChanged").withArgs(f.provider.address, ST.None);
    expect(await f.token.balanceOf(f.provider.address)).to.equal(before + stake);
    expect(await f.registry.statusOf(f.provider.address)).to.equal(ST.None);
    expect(await f.registry.capacityOf(f.provider.address, 1)).to.equal(0n);
    await expect(f.registry.connect(f.stranger).requestUnbond())
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryCannotUnbond").withArgs(f.stranger.address, ST.None);
  });

  it("cancels unbonding back to Active", async function () {
    const f = await loadFixture(registeredFixture);
    await expect(f.registry.connect(f.provider).cancelUnbond())
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryNotUnbonding");
    await f.registry.connect(f.provider).requestUnbond();
    await expect(f.registry.connect(f.provider).cancelUnbond())
      .to.emit(f.registry, "ProviderStatusChanged").withArgs(f.provider.address, ST.Active);
  });

  it("slash: only the escrow; capped at the stake; jails below minStake; addStake un-jails", async function () {
    const f = await loadFixture(registeredFixture);
    await expect(f.registry.connect(f.admin).slash(f.provider.address, 1, f.admin.address))
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryOnlyEscrow").withArgs(f.admin.address);
    const esc = await asEscrow(f);
    const stake = await f.registry.stakeOf(f.provider.address); // 10 × minStake
    await expect(f.registry.connect(esc).slash(f.provider.address, stake - MIN_STAKE, f.stranger.address))
      .to.emit(f.registry, "ProviderSlashed").withArgs(f.provider.address, stake - MIN_STAKE, f.stranger.address, MIN_STAKE);
    expect(await f.registry.statusOf(f.provider.address)).to.equal(ST.Active);
    await expect(f.registry.connect(esc).slash(f.provider.address, MIN_STAKE * 5n, f.stranger.address))
      .to.emit(f.registry, "ProviderStatusChanged").withArgs(f.provider.address, ST.Jailed);
    expect(await f.registry.stakeOf(f.provider.address)).to.equal(0n);
    expect(await f.token.balanceOf(await f.registry.getAddress())).to.equal(0n);
    await expect(f.registry.connect(esc).slash(f.provider.address, 1, f.stranger.address)).to.not.emit(f.registry, "ProviderSlashed");
    await f.registry.connect(f.provider).addStake(MIN_STAKE - 1n);
    expect(await f.registry.statusOf(f.provider.address)).to.equal(ST.Jailed);
    await expect(f.registry.connect(f.provider).addStake(1n))
      .to.emit(f.registry, "ProviderStatusChanged").withArgs(f.provider.address, ST.Active);
  });

  it("a jailed provider can still unbond and leave", async function () {
    const f = await loadFixture(registeredFixture);
    const esc = await asEscrow(f);
    await f.registry.connect(esc).slash(f.provider.address, MIN_STAKE * 10n - 1n, f.stranger.address);
    await f.registry.connect(f.provider).requestUnbond();
    await f.registry.connect(f.provider).cancelUnbond();
    expect(await f.registry.statusOf(f.provider.address)).to.equal(ST.Jailed);
    await f.registry.connect(f.provider).requestUnbond();
    await time.increase(UNBONDING);
    await expect(f.registry.connect(f.provider).withdrawStake()).to.emit(f.registry, "StakeWithdrawn").withArgs(f.provider.address, 1n);
  });

  it("escrow is wired once, by the admin", async function () {
    const f = await loadFixture(h.baseFixture);
    await expect(f.registry.connect(f.admin).setEscrow(f.admin.address))
      .to.be.revertedWithCustomError(f.registry, "ProviderRegistryEscrowAlreadySet").withArgs(await f.escrow.getAddress());
    const R = await ethers.getContractFactory("ProviderRegistry");
    const r = await R.deploy(await f.token.getAddress(), MIN_STAKE, UNBONDING, f.admin.address);
    await expect(r.connect(f.stranger).setEscrow(f.stranger.address)).to.be.revertedWithCustomError(r, "AccessControlUnauthorizedAccount");
    await expect(r.setEscrow(ethers.ZeroAddress)).to.be.revertedWithCustomError(r, "ProviderRegistryZeroAddress");
    await expect(r.setEscrow(f.stranger.address)).to.emit(r, "EscrowSet").withArgs(f.stranger.address);
    await expect(R.deploy(ethers.ZeroAddress, MIN_STAKE, UNBONDING, f.admin.address)).to.be.revertedWithCustomError(R, "ProviderRegistryZeroAddress");
    const max = 3650n * 86400n;
    await expect(R.deploy(await f.token.getAddress(), MIN_STAKE, max + 1n, f.admin.address))
      .to.be.revertedWithCustomError(R, "ProviderRegistryPeriodTooLong").withArgs(max + 1n, max);
  });

  it("tokens held = Σ stakes", async function () {
    const f = await loadFixture(registeredFixture);
    await h.registerProvider(f, f.provider2);
    const sum = (await f.registry.stakeOf(f.provider.address)) + (await f.registry.stakeOf(f.provider2.address));
    expect(await f.token.balanceOf(await f.registry.getAddress())).to.equal(sum);
    expect(sum).to.equal(20n * MIN_STAKE);
    expect(TOKEN).to.equal(10n ** 6n);
  });
});
