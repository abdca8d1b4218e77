// Deploys TestStablecoin, ProviderRegistry, OfferBook and LeaseEscrow, grants the roles and writes
// deployments/<network>.json (or DEPLOYMENTS_OUT) for the C# components.
//
//   node node_modules/.bin/hardhat run scripts/deploy.js --network localhost   (RPC_URL overrides the URL)
//
// Environment (all optional):
//   ADMIN, MATCHER, SETTLER, ARBITER, FEE_RECIPIENT  addresses; on a local chain the defaults are the
//       Hardhat dev accounts #0 admin, #1 matcher, #2 settler, #3 arbiter, #0 fee recipient; elsewhere
//       every role defaults to the deployer.
//   MIN_STAKE (base units, default 100 tokens = 100000000), UNBONDING_PERIOD (s, default 604800),
//   CHALLENGE_PERIOD (s, default 60), RECLAIM_GRACE (s, default 3600), FEE_BPS (default 0),
//   TOKEN (address of an existing ERC-20 with permit; default: deploy TestStablecoin),
//   MINT_PER_ACCOUNT (whole tokens minted to each dev account on chain 31337, default 1000000),
//   DEPLOYMENTS_OUT (output path, default deployments/<network>.json).
// When ADMIN is not the deployer, the deployer renounces its admin role on the three market contracts
// (it keeps minting rights on the test token, which is a faucet on the local chain).
"use strict";
const fs = require("fs");
const path = require("path");
const hre = require("hardhat");
const { ethers } = hre;
const { deployAll, DEFAULTS } = require("./lib/deploy-contracts");

const log = (...a) => console.error("[deploy]", ...a);

function envBig(name, def) {
  const v = process.env[name];
  if (v === undefined || v === "") return def;
  if (!/^\d+$/.test(v.trim())) throw new Error(`${name} must be a non-negative integer, got '${v}'`);
  return BigInt(v.trim());
}

function envAddr(name, def) {
  const v = process.env[name];
  if (v === undefined || v === "") return def;
  if (!ethers.isAddress(v)) throw new Error(`${name} is not an address (or its mixed-case checksum is wrong): '${v}'`);
  return ethers.getAddress(v);
}

async function main() {
  const signers = await ethers.getSigners();
  const deployer = signers[0];
  const net = await ethers.provider.getNetwork();
  const chainId = Number(net.chainId);
  const local = chainId === 31337;
  const dev = (i) => (local && signers[i] ? signers[i].address : deployer.address);

  const roles = {
    admin: envAddr("ADMIN", dev(0)),
    matcher: envAddr("MATCHER", dev(1)),
    settler: envAddr("SETTLER", dev(2)),
    arbiter: envAddr("ARBITER", dev(3)),
    feeRecipient: envAddr("FEE_RECIPIENT", dev(0)),
  };
  const params = {
    minStake: envBig("MIN_STAKE", DEFAULTS.minStake),
    unbondingPeriod: envBig("UNBONDING_PERIOD", DEFAULTS.unbondingPeriod),
    challengePeriod: envBig("CHALLENGE_PERIOD", DEFAULTS.challengePeriod),
    reclaimGrace: envBig("RECLAIM_GRACE", DEFAULTS.reclaimGrace),
    feeBps: envBig("FEE_BPS", DEFAULTS.feeBps),
  };
  const startBlock = await ethers.provider.getBlockNumber();
  log(`network ${hre.network.name} (chain ${chainId}), deployer ${deployer.address}, start block ${startBlock}`);

  const d = await deployAll(ethers, {
    deployer, admin: roles.admin, feeRecipient: roles.feeRecipient, token: envAddr("TOKEN", undefined), ...params,
  });
  const { token, registry, offerBook, escrow } = d;

  const grants = [
    ["MATCHER_ROLE", roles.matcher], ["SETTLER_ROLE", roles.settler], ["ARBITER_ROLE", roles.arbiter],
  ];
  for (const [name, who] of grants) {
    await (await escrow.grantRole(await escrow[name](), who)).wait();
    log(`granted ${name} to ${who}`);
  }

  if (local && !process.env.TOKEN) {
    const perAccount = envBig("MINT_PER_ACCOUNT", 1_000_000n) * 10n ** 6n;
    const accounts = signers.slice(0, 20);
    for (const s of accounts) await (await token.mint(s.address, perAccount)).wait();
    log(`minted ${perAccount} base units to each of ${accounts.length} dev accounts`);
  }

  // The deployer gives up admin when someone else holds it.
  if (roles.admin.toLowerCase() !== deployer.address.toLowerCase()) {
    for (const c of [registry, offerBook, escrow]) {
      await (await c.renounceRole(await c.DEFAULT_ADMIN_ROLE(), deployer.address)).wait();
    }
    if (!process.env.TOKEN) {
      await (await token.grantRole(await token.DEFAULT_ADMIN_ROLE(), roles.admin)).wait();
      await (await token.grantRole(await token.MINTER_ROLE(), roles.admin)).wait();
    }
  }

  const contracts = {};
  for (const [name, c] of [["TestStablecoin", token], ["ProviderRegistry", registry], ["OfferBook", offerBook], ["LeaseEscrow", escrow]]) {
    const artifact = await hre.artifacts.readArtifact(name);
    contracts[name] = { address: await c.getAddress(), abi: artifact.abi };
  }
  const out = {
    network: hre.network.name,
    chainId,
    startBlock,
    contracts,
    roles,
    parameters: Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.toString()])),
  };
  const file = process.env.DEPLOYMENTS_OUT || path.join(__dirname, "..", "deployments", `${hre.network.name}.json`);
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + "\n");
  log(`wrote ${file}`);
  for (const [name, c] of Object.entries(contracts)) log(`${name.padEnd(17)} ${c.address}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
