"use strict";
// Pins the formulas of docs/units-and-money.md; Market.Matching / Market.Billing pin the same numbers.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture } = require("@nomicfoundation/hardhat-network-helpers");
const h = require("./helpers/fixtures");

async function harness() {
  return (await ethers.getContractFactory("ComputeUnitsHarness")).deploy();
}

describe("ComputeUnits", function () {
  it("gradeOf follows the thresholds", async function () {
    const c = await loadFixture(harness);
    const cases = [[0n, 0], [1n, 4], [499n, 4], [500n, 3], [9_999n, 3], [10_000n, 2], [1_000_000n, 2], [1_000_001n, 1], [2n ** 64n - 1n, 1]];
    for (const [m, g] of cases) {
      expect(await c.gradeOf(m), `gradeOf(${m})`).to.equal(BigInt(g));
      expect(h.gradeOf(m)).to.equal(g);
    }
  });

  it("lockAmount rounds up, charge rounds down, penalty rounds up, fee rounds down", async function () {
    const c = await loadFixture(harness);
    expect(await c.lockAmount(1000, 3600, 1_000_000)).to.equal(1_000_000n);
    expect(await c.lockAmount(1, 1, 1)).to.equal(1n);
    expect(await c.lockAmount(3, 1_200_000, 1)).to.equal(1n);
    expect(await c.lockAmount(3, 1_200_001, 1)).to.equal(2n);
    expect(await c.charge(3_599_999, 1)).to.equal(0n);
    expect(await c.charge(7_200_000, 5)).to.equal(10n);
    expect(await c.penalty(1_000_000, 1)).to.equal(100n);
    expect(await c.penalty(1, 1)).to.equal(1n);
    expect(await c.penalty(0, 10_000)).to.equal(0n);
    expect(await c.fee(999, 10)).to.equal(0n);
    expect(await c.fee(1000, 10)).to.equal(1n);
    // Widest inputs: no overflow.
    const m = 2n ** 64n - 1n, d = 2n ** 32n - 1n, p = 2n ** 96n - 1n;
    expect(await c.lockAmount(m, d, p)).to.equal(h.lockAmount(m, d, p));
    expect(await c.charge(2n ** 128n - 1n, p)).to.equal(h.charge(2n ** 128n - 1n, p));
  });

  it("charge of any allowed usage never exceeds lockAmount (random cases)", async function () {
    const c = await loadFixture(harness);
    let s = 12345n;
    const rnd = (mod) => { s = (s * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n; return s % mod; };
    for (let i = 0; i < 40; i++) {
      const m = rnd(10n ** 7n) + 1n, d = rnd(86_400n) + 1n, p = rnd(10n ** 12n) + 1n, u = rnd(m * d + 1n);
      const lock = await c.lockAmount(m, d, p);
      const ch = await c.charge(u, p);
      expect(lock).to.equal(h.lockAmount(m, d, p));
      expect(ch).to.equal(h.charge(u, p));
      expect(ch <= lock).to.equal(true);
    }
  });
});
