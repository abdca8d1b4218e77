"use strict";
// scripts/deploy.js against a real `hardhat node`, as the C# fixtures use it.
const { expect } = require("chai");
const { spawn, execFile } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const net = require("net");
const { ethers } = require("ethers");

const ROOT = path.join(__dirname, "..", "..");
const HARDHAT = path.join(ROOT, "node_modules", ".bin", "hardhat");

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

async function waitForRpc(url, ms) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }) });
      if (res.ok) return;
      throw new Error(`HTTP ${res.status}`);
    } catch (e) {
      if (Date.now() > until) throw new Error(`node at ${url} did not start: ${e.message}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

describe("scripts/deploy.js", function () {
  this.timeout(120_000);
  let node, port, dir;

  before(async function () {
    port = await freePort();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "cm-deploy-"));
    node = spawn(process.execPath, [HARDHAT, "node", "--hostname", "127.0.0.1", "--port", String(port)],
      { cwd: ROOT, stdio: "ignore" });
    await waitForRpc(`http://127.0.0.1:${port}`, 30_000);
  });

  after(function () {
    if (node) node.kill("SIGTERM");
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("deploys, grants roles, mints and writes the deployments file", async function () {
    const out = path.join(dir, "deploy.json");
    await new Promise((resolve, reject) => {
      execFile(process.execPath, [HARDHAT, "run", "scripts/deploy.js", "--network", "localhost"], {
        cwd: ROOT,
        env: { ...process.env, RPC_URL: `http://127.0.0.1:${port}`, DEPLOYMENTS_OUT: out, FEE_BPS: "25", CHALLENGE_PERIOD: "30" },
      }, (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()));
    });
    const d = JSON.parse(fs.readFileSync(out, "utf8"));
    expect(d.network).to.equal("localhost");
    expect(d.chainId).to.equal(31337);
    expect(d.startBlock).to.be.a("number");
    expect(Object.keys(d.contracts)).to.deep.equal(["TestStablecoin", "ProviderRegistry", "OfferBook", "LeaseEscrow"]);
    expect(d.parameters).to.deep.equal({ minStake: "100000000", unbondingPeriod: "604800", challengePeriod: "30", reclaimGrace: "3600", feeBps: "25" });
    const provider = new ethers.JsonRpcProvider(`http://127.0.0.1:${port}`, 31337, { staticNetwork: true });
    const accounts = await provider.send("eth_accounts", []);
    expect(d.roles.admin.toLowerCase()).to.equal(accounts[0].toLowerCase());
    expect(d.roles.matcher.toLowerCase()).to.equal(accounts[1].toLowerCase());
    expect(d.roles.settler.toLowerCase()).to.equal(accounts[2].toLowerCase());
    expect(d.roles.arbiter.toLowerCase()).to.equal(accounts[3].toLowerCase());
    const escrow = new ethers.Contract(d.contracts.LeaseEscrow.address, d.contracts.LeaseEscrow.abi, provider);
    const token = new ethers.Contract(d.contracts.TestStablecoin.address, d.contracts.TestStablecoin.abi, provider);
    const registry = new ethers.Contract(d.contracts.ProviderRegistry.address, d.contracts.ProviderRegistry.abi, provider);
    expect(await escrow.hasRole(await escrow.MATCHER_ROLE(), accounts[1])).to.equal(true);
    expect(await escrow.hasRole(await escrow.SETTLER_ROLE(), accounts[2])).to.equal(true);
    expect(await escrow.hasRole(await escrow.ARBITER_ROLE(), accounts[3])).to.equal(true);
    expect(await escrow.feeBps()).to.equal(25n);
    expect(await escrow.challengePeriod()).to.equal(30n);
    expect(await registry.escrow()).to.equal(d.contracts.LeaseEscrow.address);
    expect(await token.decimals()).to.equal(6n);
    for (const i of [0, 7, 19]) expect(await token.balanceOf(accounts[i])).to.equal(1_000_000n * 10n ** 6n);
    provider.destroy();
  });

  it("a whole lease runs on that node through the deployments file's ABIs and roles", async function () {
    const out = path.join(dir, "deploy.json");
    const d = JSON.parse(fs.readFileSync(out, "utf8"));
    const rpc = new ethers.JsonRpcProvider(`http://127.0.0.1:${port}`, 31337, { staticNetwork: true });
    const at = async (name, i) => new ethers.Contract(d.contracts[name].address, d.contracts[name].abi, await rpc.getSigner(i));
    const send = async (p) => (await p).wait();
    const [matcher, settler, prov, cons] = [1, 2, 8, 9];
    const provAddr = (await rpc.getSigner(prov)).address, consAddr = (await rpc.getSigner(cons)).address;
    const token = (i) => at("TestStablecoin", i);
    await send((await token(prov)).approve(d.contracts.ProviderRegistry.address, ethers.MaxUint256));
    await send((await at("ProviderRegistry", prov)).register("ipfs://p", ethers.ZeroHash, 100_000_000n));
    await send((await at("ProviderRegistry", prov)).attestCapacity(1, 10_000n, ethers.ZeroHash));
    const now = BigInt((await rpc.getBlock("latest")).timestamp);
    await send((await at("OfferBook", prov)).postOffer(1, 3, 5_000n, 1_000_000n, 3600, 9900, 500, ethers.ZeroHash, ethers.ZeroHash, now + 86400n));
    await send((await token(cons)).approve(d.contracts.LeaseEscrow.address, ethers.MaxUint256));
    await send((await at("LeaseEscrow", cons)).deposit(10_000_000n));
    const bid = { consumer: consAddr, jobSpecHash: ethers.id("spec"), computeType: 1, grade: 3, milliNcu: 1_000n,
      maxPricePerNcuHour: 1_000_000n, maxDurationSec: 600, minUptimeBps: 9000, constraintsHash: ethers.ZeroHash, nonce: 1n, deadline: now + 600n };
    const { BID_TYPES } = require("../../scripts/lib/deploy-contracts");
    const domain = { name: "ComputeMarket", version: "1", chainId: 31337, verifyingContract: d.contracts.LeaseEscrow.address };
    const sig = await (await rpc.getSigner(cons)).signTypedData(domain, BID_TYPES, bid);
    const escrowM = await at("LeaseEscrow", matcher);
    const rc = await send(escrowM.openLease(bid, sig, 1, 1_000_000n));
    const ev = rc.logs.map((l) => escrowM.interface.parseLog(l)).find((e) => e && e.name === "LeaseOpened");
    expect(ev.args.provider).to.equal(provAddr);
    expect(ev.args.jobSpecHash).to.equal(ethers.id("spec"));
    await rpc.send("evm_increaseTime", [700]);
    const entries = [ev.args.leaseId | (600_000n << 64n)];
    await send((await at("LeaseEscrow", settler)).proposeSettlement(entries));
    await rpc.send("evm_increaseTime", [61]);
    await send((await at("LeaseEscrow", cons)).finalize(1, entries));
    const escrowP = await at("LeaseEscrow", prov);
    // charge = floor(600,000 × 1e6 / 3.6e6) = 166,666; FEE_BPS 25 → fee 416 to the fee recipient (#0).
    expect(await escrowP.balanceOf(provAddr)).to.equal(166_250n);
    expect(await escrowP.balanceOf(d.roles.feeRecipient)).to.equal(416n);
    await send(escrowP.withdraw(166_250n));
    expect(await escrowP.lockedOf(consAddr)).to.equal(0n);
    rpc.destroy();
  });
});
