"use strict";
// Seeded random sequences of market operations against a JS model of every balance. After each step:
//   token.balanceOf(escrow)   == Σ (balance + locked)      (on chain, and equal to the model, per account)
//   token.balanceOf(registry) == Σ stakes                  (idem)
//   openLeaseCount, offer reservations and lease states   == the model
// and nothing in the model ever goes negative. INVARIANT_SEEDS="1,2,3" / INVARIANT_OPS=500 widen the run.
const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const h = require("./helpers/fixtures");

const { TOKEN, MIN_STAKE, CHALLENGE, GRACE } = h;
const SEEDS = (process.env.INVARIANT_SEEDS || "20261122,7").split(",").map(Number);
const OPS = Number(process.env.INVARIANT_OPS || 220);

function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); // inclusive
  const big = (lo, hi) => BigInt(lo) + (BigInt(Math.floor(next() * 2 ** 48)) * (BigInt(hi) - BigInt(lo) + 1n)) / 2n ** 48n;
  const pick = (arr) => arr[Math.floor(next() * arr.length)];
  return { next, int, big, pick };
}

const ceilDiv = (a, b) => (a + b - 1n) / b;
const min = (a, b) => (a < b ? a : b);

async function invariantFixture() {
  const f = await h.baseFixture(300n);
  const s = f.signers;
  f.providers = [f.provider, f.provider2, s[10]];
  f.consumers = [f.consumer, f.consumer2, s[11], s[12]];
  for (const w of [s[10], s[11], s[12]]) {
    await f.token.mint(w.address, 1_000_000n * TOKEN);
    await f.token.connect(w).approve(await f.registry.getAddress(), ethers.MaxUint256);
    await f.token.connect(w).approve(await f.escrow.getAddress(), ethers.MaxUint256);
  }
  for (const p of f.providers) {
    await f.registry.connect(p).register("ipfs://p", ethers.ZeroHash, 3n * MIN_STAKE);
    for (const t of [0, 1, 2]) await f.registry.connect(p).attestCapacity(t, 40_000n, ethers.ZeroHash);
  }
  return f;
}

async function runSequence(f, seed) {
  const r = rng(seed);
  const E = await f.escrow.getAddress();
  const R = await f.registry.getAddress();
  const accounts = [...new Set([...f.consumers, ...f.providers, f.feeRecipient].map((x) => x.address))];
  const M = {
    bal: Object.fromEntries(accounts.map((a) => [a, 0n])),
    locked: Object.fromEntries(accounts.map((a) => [a, 0n])),
    stake: Object.fromEntries(f.providers.map((p) => [p.address, 3n * MIN_STAKE])),
    status: Object.fromEntries(f.providers.map((p) => [p.address, 1])),
    open: Object.fromEntries(f.providers.map((p) => [p.address, 0n])),
    committed: Object.fromEntries(f.providers.map((p) => [p.address, [0n, 0n, 0n]])),
    offers: new Map(), leases: new Map(), batches: new Map(), feeBps: 300n, nonce: 0n, paused: false,
  };
  let now = BigInt(await time.latest());
  const counts = {};
  const nonNeg = (x, what) => { if (x < 0n) throw new Error(`model went negative: ${what}`); return x; };
  // Every tx is mined at a timestamp we chose, so bounds are exact.
  // (A reverting transaction may still be mined, so `now` is re-read from the chain each time.)
  const at = async () => { now = BigInt(await time.latest()); const t = now + 1n; await time.setNextBlockTimestamp(t); return t; };
  const mined = (t) => { now = t; };
  const sign = (bid, signer) => h.signBid(f, bid, signer);

  const maxUsage = (l, t) => { const end = l.start + l.maxDur; const n = t < end ? t : end; return n > l.start ? l.milli * (n - l.start) : 0n; };
  function settle(l, usage, verdict, feeBps) {
    const charge = (usage * l.price) / h.NCU_HOUR;
    const fee = (charge * feeBps) / 10_000n;
    let paid = 0n;
    if (verdict === 1) {
      const wanted = ceilDiv(l.lock * l.penaltyBps, 10_000n);
      paid = min(wanted, M.stake[l.provider]);
      if (paid > 0n) counts.slashed = (counts.slashed || 0) + 1;
      M.stake[l.provider] = nonNeg(M.stake[l.provider] - paid, "stake");
      if (M.status[l.provider] === 1 && M.stake[l.provider] < MIN_STAKE) M.status[l.provider] = 3;
    }
    counts.settled = (counts.settled || 0) + 1;
    M.bal[l.consumer] += l.lock - charge + paid;
    M.locked[l.consumer] = nonNeg(M.locked[l.consumer] - l.lock, "locked");
    M.bal[l.provider] += charge - fee;
    M.bal[f.feeRecipient.address] += fee;
    closeLease(l);
  }
  function closeLease(l) {
    M.open[l.provider] = nonNeg(M.open[l.provider] - 1n, "open");
    const o = M.offers.get(l.offerId);
    o.reserved = nonNeg(o.reserved - l.milli, "reserved");
    if (!o.active) {
      o.capacity -= l.milli;
      M.committed[o.provider][o.type] = nonNeg(M.committed[o.provider][o.type] - l.milli, "committed");
    }
  }

  const ops = {
    async deposit() {
      const c = r.pick(f.consumers);
      const amount = r.big(1n, 500n * TOKEN);
      if (M.paused) {
        await expect(f.escrow.connect(c).deposit(amount)).to.be.revertedWithCustomError(f.escrow, "EnforcedPause");
        return;
      }
      const t = await at();
      await f.escrow.connect(c).deposit(amount); mined(t);
      M.bal[c.address] += amount;
    },
    async withdraw() {
      const who = r.pick([...f.consumers, ...f.providers, f.feeRecipient]);
      const bal = M.bal[who.address];
      if (bal === 0n || r.next() < 0.1) {
        await at();
        await expect(f.escrow.connect(who).withdraw(bal + 1n)).to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInsufficientBalance");
        return;
      }
      const amount = r.big(1n, bal);
      const t = await at();
      await f.escrow.connect(who).withdraw(amount); mined(t);
      M.bal[who.address] -= amount;
    },
    async postOffer() {
      const p = r.pick(f.providers);
      const type = r.int(0, 2);
      const small = r.next() < 0.3;
      const cap = small ? r.big(100n, 499n) : r.big(2_000n, 9_999n);
      if (M.status[p.address] !== 1 || M.committed[p.address][type] + cap > 40_000n) return;
      if (M.paused) return; // postOffer while paused is covered by OfferBook.test.js
      const price = r.big(1n, 5n * TOKEN);
      const maxDur = r.int(60, 7200), penaltyBps = r.int(0, 10_000), uptime = r.int(5000, 10_000);
      const t = await at();
      await f.offerBook.connect(p).postOffer(type, h.gradeOf(cap), cap, price, maxDur, uptime, penaltyBps,
        ethers.ZeroHash, ethers.ZeroHash, t + 60n * 86400n); mined(t);
      const id = await f.offerBook.offerCount();
      M.offers.set(id, { id, provider: p.address, type, capacity: cap, reserved: 0n, price, maxDur, penaltyBps: BigInt(penaltyBps), uptime, active: true });
      M.committed[p.address][type] += cap;
    },
    async withdrawOffer() {
      const live = [...M.offers.values()].filter((o) => o.active);
      if (!live.length) return;
      const o = r.pick(live);
      const signer = f.providers.find((p) => p.address === o.provider);
      const t = await at();
      await f.offerBook.connect(signer).withdrawOffer(o.id); mined(t);
      M.committed[o.provider][o.type] -= o.capacity - o.reserved;
      o.capacity = o.reserved; o.active = false;
    },
    async openLease() {
      const candidates = [...M.offers.values()].filter((o) => o.active && M.status[o.provider] === 1);
      if (!candidates.length) return;
      const o = r.pick(candidates);
      const free = o.capacity - o.reserved;
      const g = h.gradeOf(o.capacity);
      const lo = g === 4 ? 1n : 500n;
      if (free < lo) return;
      const milli = r.big(lo, min(free, g === 4 ? 100n : 2_000n));
      const c = r.pick(f.consumers);
      const price = o.price + r.big(0n, o.price);
      const maxDur = BigInt(r.int(1, o.maxDur));
      const bid = { consumer: c.address, jobSpecHash: ethers.id(`job${M.nonce}`), computeType: o.type, grade: g, milliNcu: milli,
        maxPricePerNcuHour: price, maxDurationSec: maxDur, minUptimeBps: o.uptime, constraintsHash: ethers.ZeroHash,
        nonce: ++M.nonce, deadline: now + 1000n };
      const sig = await sign(bid, c);
      const lock = ceilDiv(milli * maxDur * price, h.NCU_HOUR);
      if (M.paused) {
        await expect(f.escrow.connect(f.matcher).openLease(bid, sig, o.id, price)).to.be.revertedWithCustomError(f.escrow, "EnforcedPause");
        return;
      }
      if (lock > M.bal[c.address]) {
        await at();
        await expect(f.escrow.connect(f.matcher).openLease(bid, sig, o.id, price))
          .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowInsufficientBalance").withArgs(M.bal[c.address], lock);
        return;
      }
      const t = await at();
      await f.escrow.connect(f.matcher).openLease(bid, sig, o.id, price); mined(t);
      const id = await f.escrow.leaseCount();
      M.leases.set(id, { id, consumer: c.address, provider: o.provider, offerId: o.id, milli, price, start: t, maxDur, penaltyBps: o.penaltyBps, lock, state: 1, batchId: 0n });
      M.bal[c.address] -= lock; M.locked[c.address] += lock; M.open[o.provider] += 1n; o.reserved += milli;
    },
    async propose() {
      const open = [...M.leases.values()].filter((l) => l.state === 1);
      if (!open.length) return;
      const n = r.int(1, Math.min(6, open.length));
      const chosen = [...open].sort(() => r.next() - 0.5).slice(0, n);
      const t = await at();
      const entries = chosen.map((l) => {
        const u = r.next() < 0.2 ? maxUsage(l, t) : r.big(0n, maxUsage(l, t));
        const v = r.next() < 0.6 ? 0 : r.next() < 0.6 ? 1 : 2;
        return { l, u, v, packed: l.id | (u << 64n) | (BigInt(v) << 192n) };
      });
      if (M.paused) {
        await expect(f.escrow.connect(f.settler).proposeSettlement(entries.map((e) => e.packed)))
          .to.be.revertedWithCustomError(f.escrow, "EnforcedPause");
        return;
      }
      await f.escrow.connect(f.settler).proposeSettlement(entries.map((e) => e.packed)); mined(t);
      const batchId = await f.escrow.batchCount();
      for (const e of entries) { e.l.state = 2; e.l.batchId = batchId; }
      M.batches.set(batchId, { id: batchId, entries, windowEnd: t + CHALLENGE, feeBps: M.feeBps, pending: true });
    },
    async dispute() {
      now = BigInt(await time.latest());
      const inWindow = [...M.leases.values()].filter((l) => l.state === 2 && M.batches.get(l.batchId).pending && now + 1n < M.batches.get(l.batchId).windowEnd);
      if (!inWindow.length) return;
      const l = r.pick(inWindow);
      const who = r.next() < 0.5 ? f.consumers.find((c) => c.address === l.consumer) : f.providers.find((p) => p.address === l.provider);
      const t = await at();
      await f.escrow.connect(who).dispute(l.id); mined(t);
      l.state = 3;
    },
    async resolve() {
      const disputed = [...M.leases.values()].filter((l) => l.state === 3);
      if (!disputed.length) return;
      const l = r.pick(disputed);
      const t = await at();
      const u = r.big(0n, maxUsage(l, t)), v = r.int(0, 2);
      await f.escrow.connect(f.arbiter).resolveDispute(l.id, u, v); mined(t);
      l.state = 4; l.resolution = { u, v, feeBps: M.feeBps };
    },
    async finalizeResolved() {
      const resolved = [...M.leases.values()].filter((l) => l.state === 4);
      if (!resolved.length) return;
      const l = r.pick(resolved);
      const t = await at();
      await f.escrow.connect(r.pick(f.consumers)).finalizeResolved(l.id); mined(t);
      settle(l, l.resolution.u, l.resolution.v, l.resolution.feeBps);
      l.state = 5;
    },
    async finalize() {
      now = BigInt(await time.latest());
      const ready = [...M.batches.values()].filter((b) => b.pending && now + 1n >= b.windowEnd);
      if (!ready.length) {
        const waiting = [...M.batches.values()].filter((b) => b.pending);
        if (waiting.length) {
          const b = waiting[0];
          await at();
          await expect(f.escrow.finalize(b.id, b.entries.map((e) => e.packed)))
            .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowChallengeWindowOpen");
        }
        return;
      }
      const b = r.pick(ready);
      const t = await at();
      await f.escrow.connect(r.pick(f.signers)).finalize(b.id, b.entries.map((e) => e.packed)); mined(t);
      b.pending = false;
      for (const e of b.entries) {
        if (e.l.state !== 2 || e.l.batchId !== b.id) continue;
        settle(e.l, e.u, e.v, b.feeBps);
        e.l.state = 5;
      }
    },
    async reclaim() {
      now = BigInt(await time.latest());
      const due = [...M.leases.values()].filter((l) => {
        if (l.state === 1) return now + 1n >= l.start + l.maxDur + GRACE;
        if (l.state === 3) { const w = M.batches.get(l.batchId).windowEnd; const end = l.start + l.maxDur; return now + 1n >= (w > end ? w : end) + GRACE; }
        return false;
      });
      if (!due.length) {
        const open = [...M.leases.values()].filter((l) => l.state === 1);
        if (open.length) {
          const l = open[0];
          if (now + 1n < l.start + l.maxDur + GRACE) {
            await at();
            await expect(f.escrow.connect(f.consumers.find((c) => c.address === l.consumer)).reclaim(l.id))
              .to.be.revertedWithCustomError(f.escrow, "LeaseEscrowReclaimTooEarly");
          }
        }
        return;
      }
      const l = r.pick(due);
      const who = r.next() < 0.7 ? f.consumers.find((c) => c.address === l.consumer) : f.providers.find((p) => p.address === l.provider);
      const t = await at();
      await f.escrow.connect(who).reclaim(l.id); mined(t);
      counts.reclaimed = (counts.reclaimed || 0) + 1;
      M.bal[l.consumer] += l.lock; M.locked[l.consumer] = nonNeg(M.locked[l.consumer] - l.lock, "locked");
      closeLease(l);
      l.state = 6;
    },
    async addStake() {
      const p = r.pick(f.providers);
      const amount = r.big(1n, 200n * TOKEN);
      if (M.paused) {
        await expect(f.registry.connect(p).addStake(amount)).to.be.revertedWithCustomError(f.registry, "EnforcedPause");
        return;
      }
      const t = await at();
      await f.registry.connect(p).addStake(amount); mined(t);
      M.stake[p.address] += amount;
      if (M.status[p.address] === 3 && M.stake[p.address] >= MIN_STAKE) M.status[p.address] = 1;
    },
    async togglePause() {
      // Pause (or lift the pause on) all three contracts; exits keep working in between.
      const fn = M.paused ? "unpause" : "pause";
      for (const c of [f.escrow, f.registry, f.offerBook]) { await at(); await c.connect(f.admin)[fn](); }
      M.paused = !M.paused;
    },
    async cancelBid() {
      const c = r.pick(f.consumers);
      const nonce = ++M.nonce;
      const t = await at();
      await expect(f.escrow.connect(c).cancelBid(nonce)).to.emit(f.escrow, "BidCancelled"); mined(t);
    },
    async setFee() {
      const bps = BigInt(r.int(0, 1000));
      const t = await at();
      await f.escrow.connect(f.admin).setFeeBps(bps); mined(t);
      M.feeBps = bps;
    },
    async advance() {
      const dt = BigInt(r.pick([5, 30, 61, 600, 3600, 5000]));
      now = BigInt(await time.latest());
      await time.increaseTo(now + dt);
      now += dt;
    },
  };
  const weights = [["deposit", 8], ["withdraw", 6], ["postOffer", 4], ["withdrawOffer", 1], ["openLease", 22], ["propose", 10],
    ["dispute", 4], ["resolve", 3], ["finalizeResolved", 3], ["finalize", 8], ["reclaim", 4], ["addStake", 3], ["setFee", 1], ["advance", 10], ["togglePause", 1], ["cancelBid", 1]];
  const total = weights.reduce((a, [, w]) => a + w, 0);
  const choose = () => { let x = r.next() * total; for (const [n, w] of weights) { if ((x -= w) < 0) return n; } return "advance"; };

  async function check(step, op) {
    const where = `seed ${seed} step ${step} (${op})`;
    let sumEscrow = 0n, sumStake = 0n;
    for (const a of accounts) {
      const acc = await f.escrow.accountOf(a);
      expect(acc.balance, `${where}: balance of ${a}`).to.equal(M.bal[a]);
      expect(acc.locked, `${where}: locked of ${a}`).to.equal(M.locked[a]);
      sumEscrow += acc.balance + acc.locked;
    }
    for (const p of f.providers) {
      expect(await f.registry.stakeOf(p.address), `${where}: stake`).to.equal(M.stake[p.address]);
      expect(await f.escrow.openLeaseCount(p.address), `${where}: open leases`).to.equal(M.open[p.address]);
      sumStake += M.stake[p.address];
    }
    expect(await f.token.balanceOf(E), `${where}: escrow tokens = balances + locked`).to.equal(sumEscrow);
    expect(await f.token.balanceOf(R), `${where}: registry tokens = stakes`).to.equal(sumStake);
  }

  // Seed the market so the first operations have something to act on.
  for (let i = 0; i < 3; i++) await ops.postOffer();
  for (const c of f.consumers) { const t = await at(); await f.escrow.connect(c).deposit(1_000n * TOKEN); mined(t); M.bal[c.address] += 1_000n * TOKEN; }
  await check(-1, "setup");
  for (let step = 0; step < OPS; step++) {
    const op = M.paused && r.next() < 0.25 ? "togglePause" : choose(); // pauses stay short
    counts[op] = (counts[op] || 0) + 1;
    await ops[op]();
    await check(step, op);
  }
  // Wind everything down (still paused, if it was: exits stay open): every lease ends settled or
  // reclaimed, and every token can leave.
  now = BigInt(await time.latest());
  await time.increaseTo(now + 30n * 86400n); now += 30n * 86400n;
  for (const b of M.batches.values()) if (b.pending) { const t = await at(); await f.escrow.finalize(b.id, b.entries.map((e) => e.packed)); mined(t); b.pending = false; for (const e of b.entries) if (e.l.state === 2 && e.l.batchId === b.id) { settle(e.l, e.u, e.v, b.feeBps); e.l.state = 5; } }
  for (const l of M.leases.values()) {
    if (l.state === 4) { const t = await at(); await f.escrow.finalizeResolved(l.id); mined(t); settle(l, l.resolution.u, l.resolution.v, l.resolution.feeBps); l.state = 5; }
    if (l.state === 1 || l.state === 3) {
      const t = await at();
      await f.escrow.connect(f.consumers.find((c) => c.address === l.consumer)).reclaim(l.id); mined(t);
      M.bal[l.consumer] += l.lock; M.locked[l.consumer] -= l.lock; closeLease(l); l.state = 6;
    }
  }
  await check(OPS, "wind-down");
  for (const a of accounts) expect(M.locked[a]).to.equal(0n);
  for (const o of M.offers.values()) {
    const chain = await f.offerBook.getOffer(o.id);
    expect(chain.reservedMilli).to.equal(0n);
    expect(chain.capacityMilli).to.equal(o.capacity);
  }
  for (const signer of [...f.consumers, ...f.providers, f.feeRecipient]) {
    const bal = M.bal[signer.address];
    if (bal > 0n) await f.escrow.connect(signer).withdraw(bal);
  }
  expect(await f.token.balanceOf(E)).to.equal(0n);
  return counts;
}

describe("LeaseEscrow: conservation invariant (seeded random sequences)", function () {
  for (const seed of SEEDS) {
    it(`seed ${seed}: ${OPS} operations keep tokens = balances + locked + stakes`, async function () {
      const f = await loadFixture(invariantFixture);
      const counts = await runSequence(f, seed);
      if (process.env.INVARIANT_VERBOSE) console.log(seed, counts);
      const total = Object.entries(counts).filter(([k]) => !["settled", "slashed", "reclaimed"].includes(k)).reduce((a, [, b]) => a + b, 0);
      expect(total).to.equal(OPS);
      if (OPS >= 200) { // the default run must really exercise settlement, penalties and reclaims
        expect(counts.settled, "leases settled").to.be.greaterThan(5);
        expect(counts.slashed, "breach penalties paid").to.be.greaterThan(0);
        expect(counts.reclaimed, "leases reclaimed").to.be.greaterThan(0);
      }
      expect(counts.openLease).to.be.greaterThan(10);
    });
  }
});
