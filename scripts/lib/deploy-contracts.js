// Deploys and wires the four market contracts. Shared by scripts/deploy.js, the gas bench and the
// Hardhat tests so they all exercise the same wiring.
"use strict";

const DEFAULTS = {
  minStake: 100n * 10n ** 6n, // 100 tokens (6 decimals)
  unbondingPeriod: 7n * 24n * 3600n, // 7 days
  challengePeriod: 60n, // 60 s
  reclaimGrace: 3600n, // 1 hour
  feeBps: 0n,
};

/**
 * @param {import("ethers")} ethers hre.ethers
 * @param {object} opts { admin, feeRecipient (addresses), minStake, unbondingPeriod, challengePeriod,
 *   reclaimGrace, feeBps (bigint), token (optional existing token address), deployer (signer) }
 */
async function deployAll(ethers, opts = {}) {
  const p = { ...DEFAULTS, ...Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) };
  const deployer = p.deployer || (await ethers.getSigners())[0];
  const admin = p.admin || deployer.address;
  const feeRecipient = p.feeRecipient || admin;

  let token;
  if (p.token) {
    token = await ethers.getContractAt("TestStablecoin", p.token, deployer);
  } else {
    token = await (await ethers.getContractFactory("TestStablecoin", deployer)).deploy(deployer.address);
    await token.waitForDeployment();
  }
  const registry = await (await ethers.getContractFactory("ProviderRegistry", deployer)).deploy(
    await token.getAddress(), p.minStake, p.unbondingPeriod, deployer.address);
  await registry.waitForDeployment();
  const offerBook = await (await ethers.getContractFactory("OfferBook", deployer)).deploy(
    await registry.getAddress(), deployer.address);
  await offerBook.waitForDeployment();
  const escrow = await (await ethers.getContractFactory("LeaseEscrow", deployer)).deploy(
    await token.getAddress(), await registry.getAddress(), await offerBook.getAddress(),
    p.challengePeriod, p.reclaimGrace, p.feeBps, feeRecipient, deployer.address);
  await escrow.waitForDeployment();

  await (await registry.setEscrow(await escrow.getAddress())).wait();
  await (await offerBook.setEscrow(await escrow.getAddress())).wait();

  // Hand admin over when it is not the deployer.
  if (admin.toLowerCase() !== deployer.address.toLowerCase()) {
    for (const c of [registry, offerBook, escrow]) {
      const role = await c.DEFAULT_ADMIN_ROLE();
      await (await c.grantRole(role, admin)).wait();
    }
  }
  return { token, registry, offerBook, escrow, params: p, admin, feeRecipient };
}

/** EIP-712 pieces of the Bid type, as ethers' signTypedData wants them. */
const BID_TYPES = {
  Bid: [
    { name: "consumer", type: "address" },
    { name: "jobSpecHash", type: "bytes32" },
    { name: "computeType", type: "uint8" },
    { name: "grade", type: "uint8" },
    { name: "milliNcu", type: "uint64" },
    { name: "maxPricePerNcuHour", type: "uint256" },
    { name: "maxDurationSec", type: "uint32" },
    { name: "minUptimeBps", type: "uint16" },
    { name: "constraintsHash", type: "bytes32" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint64" },
  ],
};

async function bidDomain(escrow) {
  const net = await escrow.runner.provider.getNetwork();
  return { name: "ComputeMarket", version: "1", chainId: net.chainId, verifyingContract: await escrow.getAddress() };
}

module.exports = { deployAll, DEFAULTS, BID_TYPES, bidDomain };
