// Hardhat 2 configuration. These machines cannot download compilers, so the
// compile subtask that picks a solc build is overridden to use the wasm build
// shipped in the `solc` npm package (pinned in package.json). No download is
// ever attempted.
require("@nomicfoundation/hardhat-chai-matchers");
require("@nomicfoundation/hardhat-ethers");
const { subtask } = require("hardhat/config");
const { TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD } = require("hardhat/builtin-tasks/task-names");

const SOLC_VERSION = "0.8.30";

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args, hre, runSuper) => {
  if (args.solcVersion !== SOLC_VERSION) {
    throw new Error(`only solc ${SOLC_VERSION} is available offline, asked for ${args.solcVersion}`);
  }
  const solc = require("solc");
  return {
    compilerPath: require.resolve("solc/soljson.js"),
    isSolcJs: true,
    version: SOLC_VERSION,
    longVersion: solc.version(),
  };
});

// `hardhat node` (the local chain of the demo, the end-to-end tests and the benches) automines one
// block per transaction. By default each block must be at least a second after the last, so under
// load the chain's clock runs ahead of the wall clock (20 transactions a second: 20 chain seconds a
// second) and everything judged in chain time — SLA start latency, lease ends, usage bounds — is
// distorted: a 1,000-job bench breached every provider's start-latency SLA within minutes. Real
// chains put many transactions in one block with one timestamp; so does this node. The in-process
// network of the contract tests keeps Hardhat's default (its tests move time explicitly).
const RUNNING_NODE = process.argv.slice(2).includes("node");

/** @type import('hardhat/config').HardhatUserConfig */
module.exports = {
  solidity: {
    version: SOLC_VERSION,
    settings: {
      optimizer: { enabled: true, runs: 10000 },
      viaIR: true,
      evmVersion: "cancun",
    },
  },
  paths: {
    sources: "./contracts",
    tests: "./tests/contracts",
    cache: "./cache",
    artifacts: "./artifacts",
  },
  networks: {
    hardhat: { chainId: 31337, ...(RUNNING_NODE ? { allowBlocksWithSameTimestamp: true } : {}) },
    localhost: {
      url: process.env.RPC_URL || "http://127.0.0.1:8545",
      chainId: 31337,
    },
    // Any other EVM network: RPC_URL names the node, DEPLOYER_KEY (from the environment, never a
    // file in the repo) pays for the deployment; the chain id is whatever the node reports.
    remote: {
      url: process.env.RPC_URL || "http://127.0.0.1:8545",
      accounts: process.env.DEPLOYER_KEY ? [process.env.DEPLOYER_KEY] : [],
    },
  },
  mocha: { timeout: 120000 },
};
