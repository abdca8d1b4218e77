"use strict";
const { expect } = require("chai");
const { ethers } = require("hardhat");

describe("TestStablecoin", function () {
  it("has 6 decimals, mints by MINTER_ROLE only, and supports permit", async function () {
    const [admin, other, spender] = await ethers.getSigners();
    const t = await (await ethers.getContractFactory("TestStablecoin")).deploy(admin.address);
    expect(await t.decimals()).to.equal(6n);
    expect(await t.symbol()).to.equal("TUSD");
    await expect(t.mint(other.address, 5n)).to.emit(t, "Transfer").withArgs(ethers.ZeroAddress, other.address, 5n);
    await expect(t.connect(other).mint(other.address, 5n))
      .to.be.revertedWithCustomError(t, "AccessControlUnauthorizedAccount").withArgs(other.address, await t.MINTER_ROLE());
    await t.grantRole(await t.MINTER_ROLE(), other.address);
    await t.connect(other).mint(other.address, 5n);
    expect(await t.balanceOf(other.address)).to.equal(10n);
    const net = await ethers.provider.getNetwork();
    const deadline = 2n ** 40n;
    const sig = ethers.Signature.from(await other.signTypedData(
      { name: "Test USD", version: "1", chainId: net.chainId, verifyingContract: await t.getAddress() },
      { Permit: [{ name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] },
      { owner: other.address, spender: spender.address, value: 7n, nonce: 0n, deadline }));
    await t.permit(other.address, spender.address, 7n, deadline, sig.v, sig.r, sig.s);
    expect(await t.allowance(other.address, spender.address)).to.equal(7n);
    expect(await t.nonces(other.address)).to.equal(1n);
  });
});
