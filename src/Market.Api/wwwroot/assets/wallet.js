// The injected EIP-1193 wallet (window.ethereum): account, chain check, SIWE sign-in
// (personal_sign of the server's EIP-4361 message) and the EIP-712 Bid (eth_signTypedData_v4).
import { api, chain, session } from './api.js';

export const BID_TYPES = [
  { name: 'consumer', type: 'address' }, { name: 'jobSpecHash', type: 'bytes32' },
  { name: 'computeType', type: 'uint8' }, { name: 'grade', type: 'uint8' },
  { name: 'milliNcu', type: 'uint64' }, { name: 'maxPricePerNcuHour', type: 'uint256' },
  { name: 'maxDurationSec', type: 'uint32' }, { name: 'minUptimeBps', type: 'uint16' },
  { name: 'constraintsHash', type: 'bytes32' }, { name: 'nonce', type: 'uint256' },
  { name: 'deadline', type: 'uint64' },
];

const DOMAIN_TYPES = [
  { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
  { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' },
];

function provider() {
  if (!window.ethereum?.request) throw new Error('no wallet found: install or unlock an EIP-1193 wallet (window.ethereum)');
  return window.ethereum;
}

/** Asks the wallet for its account and checks it is on the market's chain; returns the lowercase address. */
export async function connect() {
  const eth = provider();
  const [account] = await eth.request({ method: 'eth_requestAccounts' });
  if (!account) throw new Error('the wallet gave no account');
  const want = BigInt((await chain()).chainId);
  const have = BigInt(await eth.request({ method: 'eth_chainId' }));
  if (have !== want) throw new Error(`the wallet is on chain ${have}; switch it to chain ${want}`);
  return account.toLowerCase();
}

const utf8Hex = (s) => '0x' + [...new TextEncoder().encode(s)].map((b) => b.toString(16).padStart(2, '0')).join('');

/** SIWE: challenge → personal_sign → bearer token (kept in sessionStorage). Reuses a live session of the same account. */
export async function signIn() {
  const address = await connect();
  const current = session.get();
  if (current && current.address.toLowerCase() === address) return current;
  const challenge = await api('/v1/auth/challenge', { method: 'POST', body: { address } });
  const signature = await provider().request({ method: 'personal_sign', params: [utf8Hex(challenge.message), address] });
  const t = await api('/v1/auth/token', { method: 'POST', body: { message: challenge.message, signature } });
  const s = { token: t.token, address: t.address.toLowerCase(), expiresAt: t.expiresAt };
  session.set(s);
  window.dispatchEvent(new Event('market-session')); // the header's wallet button shows the account
  return s;
}

/** A random uint256 nonce as a decimal string (the escrow refuses reused nonces). */
export function randomNonce() {
  const words = crypto.getRandomValues(new Uint32Array(8));
  return [...words].reduce((acc, w) => (acc << 32n) | BigInt(w), 0n).toString();
}

/** Signs the Bid with eth_signTypedData_v4 under the domain from GET /v1/chain. */
export async function signBid(bid) {
  const info = await chain();
  const d = info.eip712Domain;
  const typedData = {
    types: { EIP712Domain: DOMAIN_TYPES, Bid: BID_TYPES },
    primaryType: 'Bid',
    domain: { name: d.name, version: d.version, chainId: Number(d.chainId), verifyingContract: d.verifyingContract },
    message: {
      ...bid,
      milliNcu: String(bid.milliNcu), maxPricePerNcuHour: String(bid.maxPricePerNcuHour),
      nonce: String(bid.nonce), deadline: String(bid.deadline),
    },
  };
  const signature = await provider().request({ method: 'eth_signTypedData_v4', params: [bid.consumer, JSON.stringify(typedData)] });
  if (!/^0x[0-9a-fA-F]{130}$/.test(signature)) throw new Error('the wallet returned a malformed signature');
  return signature;
}
