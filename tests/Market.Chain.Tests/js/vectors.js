// Cross-check vectors for Market.Chain against ethers 6.
//   node vectors.js gen <seed>   -> JSON on stdout: cases ethers produced (C# must agree byte for byte)
//   node vectors.js check        -> reads C#-produced cases (JSON) on stdin, verifies them with ethers,
//                                   prints { failures: [...], checked: {...} }
// ethers is resolved from the repository's node_modules (run with cwd anywhere inside the repo).
"use strict";
const path = require("path");
const ethers = require(require.resolve("ethers", { paths: [process.cwd(), path.resolve(__dirname, "../../..")] }));
const { AbiCoder, Interface, Transaction, TypedDataEncoder, SigningKey, Wallet, keccak256, hexlify, getAddress } = ethers;

// ---- seeded randomness (mulberry32) ----
let state = 1;
function rand() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rand() * n);
const pick = (a) => a[int(a.length)];
function bytes(n) { const b = new Uint8Array(n); for (let i = 0; i < n; i++) b[i] = int(256); return b; }
const hex = (n) => hexlify(bytes(n));
function bigUint(bits) { let v = 0n; for (let i = 0; i < bits; i += 8) v = (v << 8n) | BigInt(int(256)); v &= (1n << BigInt(bits)) - 1n; return v >> BigInt(int(bits)); }
function privateKey() { for (;;) { const k = hex(32); const v = BigInt(k); if (v > 0n && v < 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n) return k; } }
const STRINGS = ["", "a", "hello world", "héllo wörld", "世界", "emoji 🎉🚀", "quote\"back\\slash", "x".repeat(70), "line\nbreak\ttab"];

// ---- ABI types and values ----
function atomicType() {
  switch (int(7)) {
    case 0: return "uint" + 8 * (1 + int(32));
    case 1: return "int" + 8 * (1 + int(32));
    case 2: return "address";
    case 3: return "bool";
    case 4: return "bytes" + (1 + int(32));
    case 5: return "bytes";
    default: return "string";
  }
}
function abiType(depth) {
  const r = int(10);
  if (depth >= 3 || r < 5) return atomicType();
  if (r < 7) return abiType(depth + 1) + "[]";
  if (r < 8) return abiType(depth + 1) + "[" + (1 + int(3)) + "]";
  const n = 1 + int(4);
  const parts = []; for (let i = 0; i < n; i++) parts.push(abiType(depth + 1));
  return "(" + parts.join(",") + ")";
}
// splits "(a,(b,c)[],d)" into top-level components
function splitTuple(t) {
  const inner = t.slice(1, -1); const out = []; let depth = 0, start = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === "(") depth++; else if (c === ")") depth--;
    else if (c === "," && depth === 0) { out.push(inner.slice(start, i)); start = i + 1; }
  }
  out.push(inner.slice(start)); return out;
}
function abiValue(t) {
  const m = t.match(/^(.*)\[(\d*)\]$/);
  if (m) { const n = m[2] === "" ? int(4) : Number(m[2]); const a = []; for (let i = 0; i < n; i++) a.push(abiValue(m[1])); return a; }
  if (t.startsWith("(")) return splitTuple(t).map(abiValue);
  if (t.startsWith("uint")) return bigUint(Number(t.slice(4))).toString();
  if (t.startsWith("int")) { const bits = Number(t.slice(3)); let v = bigUint(bits - 1); if (int(2)) v = -v - (int(2) ? 1n : 0n); return v.toString(); }
  if (t === "address") return getAddress(hex(20));
  if (t === "bool") return int(2) === 1;
  if (t === "bytes") return hex(int(70));
  if (t.startsWith("bytes")) return hex(Number(t.slice(5)));
  return pick(STRINGS);
}
// ethers Result -> plain JSON (bigints as decimal strings)
function plain(v) {
  if (typeof v === "bigint") return v.toString();
  if (Array.isArray(v) || (v && typeof v.toArray === "function")) return Array.from(v).map(plain);
  return v;
}

// ---- EIP-712 ----
const DOMAIN_TYPES = { name: "string", version: "string", chainId: "uint256", verifyingContract: "address", salt: "bytes32" };
function typedCase() {
  const nStructs = 1 + int(3);
  const types = {}; const names = ["Main"]; for (let i = 1; i < nStructs; i++) names.push("S" + i);
  names.forEach((name, i) => {
    const fields = []; const nf = 1 + int(4);
    for (let f = 0; f < nf; f++) {
      let t = atomicType();
      if (int(4) === 0) t = t + (int(2) ? "[]" : "[" + (1 + int(2)) + "]");
      fields.push({ name: "f" + f, type: t });
    }
    if (i + 1 < names.length) fields.splice(int(fields.length + 1), 0, { name: "child", type: names[i + 1] + (int(3) === 0 ? "[]" : "") });
    types[name] = fields;
  });
  const value = (t) => {
    const m = t.match(/^(.*)\[(\d*)\]$/);
    if (m) { const n = m[2] === "" ? int(3) : Number(m[2]); const a = []; for (let i = 0; i < n; i++) a.push(value(m[1])); return a; }
    if (types[t]) { const o = {}; for (const f of types[t]) o[f.name] = value(f.type); return o; }
    return abiValue(t);
  };
  const domain = {};
  if (int(4)) domain.name = pick(["ComputeMarket", "Ether Mail", "x"]);
  if (int(3)) domain.version = pick(["1", "2.0"]);
  if (int(4)) domain.chainId = String(pick([1, 31337, 11155111]));
  if (int(2)) domain.verifyingContract = getAddress(hex(20));
  if (int(5) === 0) domain.salt = hex(32);
  if (Object.keys(domain).length === 0) domain.name = "fallback";
  return { types, domain, message: value("Main") };
}
function v4Json(c) {
  const eip712Domain = Object.keys(DOMAIN_TYPES).filter((k) => k in c.domain).map((k) => ({ name: k, type: DOMAIN_TYPES[k] }));
  return JSON.stringify({ types: { EIP712Domain: eip712Domain, ...c.types }, primaryType: "Main", domain: c.domain, message: c.message });
}
const BID_TYPES = { Bid: [
  { name: "consumer", type: "address" }, { name: "jobSpecHash", type: "bytes32" }, { name: "computeType", type: "uint8" },
  { name: "grade", type: "uint8" }, { name: "milliNcu", type: "uint64" }, { name: "maxPricePerNcuHour", type: "uint256" },
  { name: "maxDurationSec", type: "uint32" }, { name: "minUptimeBps", type: "uint16" }, { name: "constraintsHash", type: "bytes32" },
  { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint64" }] };
const bidDomain = (chainId, escrow) => ({ name: "ComputeMarket", version: "1", chainId, verifyingContract: escrow });

// ---- canonical JSON (JCS for integer-only input) ----
function canonical(v) {
  if (Array.isArray(v)) return "[" + v.map(canonical).join(",") + "]";
  if (v && typeof v === "object") return "{" + Object.keys(v).sort().map((k) => JSON.stringify(k) + ":" + canonical(v[k])).join(",") + "}";
  return JSON.stringify(v);
}
function jsonValue(depth) {
  const r = int(depth > 2 ? 5 : 8);
  switch (r) {
    case 0: return pick(STRINGS) + (int(2) ? "\u0001" : "");
    case 1: return int(2000000) - 1000000;
    case 2: return int(2) === 1;
    case 3: return null;
    case 4: return Number.MAX_SAFE_INTEGER - int(10);
    case 5: case 6: { const o = {}; const n = int(5); for (let i = 0; i < n; i++) o[pick(["b", "a", "Z", "é", "key" + int(20), "_x", "10", "2"])] = jsonValue(depth + 1); return o; }
    default: { const a = []; const n = int(4); for (let i = 0; i < n; i++) a.push(jsonValue(depth + 1)); return a; }
  }
}

// ---- RLP ----
function rlpValue(depth) {
  if (depth < 3 && int(3) === 0) { const a = []; const n = int(5); for (let i = 0; i < n; i++) a.push(rlpValue(depth + 1)); return a; }
  return hex(pick([0, 1, 1, 2, 55, 56, 60, 300]));
}

function gen(seed) {
  state = seed;
  const out = { signatures: [], personal: [], legacy: [], eip1559: [], typed: [], bids: [], abi: [], events: [], errors: [], keystores: [], canonical: [], rlp: [] };
  for (let i = 0; i < 200; i++) {
    const pk = privateKey(); const digest = hex(32); const key = new SigningKey(pk);
    out.signatures.push({ privateKey: pk, hash: digest, signature: key.sign(digest).serialized, address: ethers.computeAddress(pk) });
  }
  for (let i = 0; i < 20; i++) {
    const pk = privateKey(); const msg = pick(STRINGS) + i;
    out.personal.push({ privateKey: pk, message: msg, signature: new Wallet(pk).signMessageSync(msg), address: ethers.computeAddress(pk) });
  }
  const accessList = () => { const a = []; const n = int(3); for (let i = 0; i < n; i++) { const keys = []; const k = int(3); for (let j = 0; j < k; j++) keys.push(hex(32)); a.push({ address: getAddress(hex(20)), storageKeys: keys }); } return a; };
  for (let i = 0; i < 50; i++) {
    for (const type of [0, 2]) {
      const pk = privateKey();
      const tx = { type, chainId: BigInt(pick([1, 31337, 11155111, 1337])), nonce: int(2) ? int(1000) : 0, gasLimit: BigInt(21000 + int(1000000)),
        to: int(8) === 0 ? null : getAddress(hex(20)), value: int(3) === 0 ? 0n : bigUint(80), data: hex(pick([0, 4, 36, 100])) };
      if (type === 0) tx.gasPrice = bigUint(40);
      else { tx.maxPriorityFeePerGas = bigUint(32); tx.maxFeePerGas = tx.maxPriorityFeePerGas + bigUint(36); tx.accessList = accessList(); }
      const t = Transaction.from(tx);
      const raw = new Wallet(pk).signingKey.sign(t.unsignedHash);
      t.signature = raw;
      const fields = { ...tx, chainId: tx.chainId.toString(), gasLimit: tx.gasLimit.toString(), value: tx.value.toString(),
        gasPrice: tx.gasPrice?.toString(), maxPriorityFeePerGas: tx.maxPriorityFeePerGas?.toString(), maxFeePerGas: tx.maxFeePerGas?.toString() };
      (type === 0 ? out.legacy : out.eip1559).push({ privateKey: pk, tx: fields, unsignedHash: t.unsignedHash, raw: t.serialized, hash: t.hash, from: t.from });
    }
  }
  for (let i = 0; i < 50; i++) {
    const c = typedCase(); const pk = privateKey(); const w = new Wallet(pk);
    out.typed.push({ privateKey: pk, json: v4Json(c), encodeType: TypedDataEncoder.from(c.types).encodeType("Main"),
      hash: TypedDataEncoder.hash(c.domain, c.types, c.message), signature: w.signingKey.sign(TypedDataEncoder.hash(c.domain, c.types, c.message)).serialized, address: w.address });
  }
  for (let i = 0; i < 20; i++) {
    const pk = privateKey(); const w = new Wallet(pk); const escrow = getAddress(hex(20)); const chainId = pick([1, 31337]);
    const bid = { consumer: w.address, jobSpecHash: hex(32), computeType: int(3), grade: 1 + int(4), milliNcu: bigUint(64).toString(),
      maxPricePerNcuHour: bigUint(128).toString(), maxDurationSec: int(1 << 30), minUptimeBps: int(10001), constraintsHash: hex(32),
      nonce: bigUint(256).toString(), deadline: String(1700000000 + int(1e8)) };
    const domain = bidDomain(chainId, escrow);
    out.bids.push({ privateKey: pk, chainId, escrow, bid, hash: TypedDataEncoder.hash(domain, BID_TYPES, bid), signature: w.signingKey.sign(TypedDataEncoder.hash(domain, BID_TYPES, bid)).serialized });
  }
  const coder = AbiCoder.defaultAbiCoder();
  for (let i = 0; i < 100; i++) {
    const n = 1 + int(4); const types = []; for (let j = 0; j < n; j++) types.push(abiType(0));
    const values = types.map(abiValue);
    out.abi.push({ types, values, encoded: coder.encode(types, values) });
  }
  for (let i = 0; i < 30; i++) {
    const n = 1 + int(5); const params = []; let indexed = 0;
    for (let j = 0; j < n; j++) {
      const idx = indexed < 3 && int(2) === 1; const t = idx ? atomicType() : abiType(1);
      if (idx) indexed++;
      params.push({ type: t, indexed: idx, name: "p" + j });
    }
    const sig = `event Ev${i}(${params.map((p) => `${p.type}${p.indexed ? " indexed" : ""} ${p.name}`).join(", ")})`;
    const iface = new Interface([sig]); const frag = iface.fragments[0];
    const values = params.map((p) => abiValue(p.type));
    const log = iface.encodeEventLog(frag, values);
    const expected = params.map((p, j) => p.indexed && (p.type === "string" || p.type === "bytes") ? (p.type === "string" ? ethers.id(values[j]) : keccak256(values[j])) : values[j]);
    out.events.push({ signature: sig, topics: log.topics, data: log.data, values: expected });
  }
  for (let i = 0; i < 20; i++) {
    const n = int(4); const types = []; for (let j = 0; j < n; j++) types.push(abiType(1));
    const sig = `error Err${i}(${types.map((t, j) => t + " a" + j).join(", ")})`;
    const iface = new Interface([sig]); const values = types.map(abiValue);
    out.errors.push({ signature: sig, data: iface.encodeErrorResult(iface.fragments[0], values), values });
  }
  out.errors.push({ signature: "Error(string)", data: new Interface(["error Error(string)"]).encodeErrorResult("Error", ["nope"]), values: ["nope"] });
  out.errors.push({ signature: "Panic(uint256)", data: new Interface(["error Panic(uint256)"]).encodeErrorResult("Panic", [0x11]), values: ["17"] });
  for (let i = 0; i < 4; i++) {
    const pk = privateKey(); const password = pick(["pw", "correct horse battery staple", "pässwörd"]);
    const json = ethers.encryptKeystoreJsonSync({ address: ethers.computeAddress(pk), privateKey: pk }, password, { scrypt: { N: 1024 } });
    out.keystores.push({ privateKey: pk, password, json });
  }
  for (let i = 0; i < 40; i++) {
    const v = jsonValue(0);
    out.canonical.push({ input: JSON.stringify(v, null, int(2) ? 2 : 0), canonical: canonical(v) });
  }
  for (let i = 0; i < 50; i++) { const v = rlpValue(0); out.rlp.push({ value: v, encoded: ethers.encodeRlp(v) }); }
  return out;
}

function check(input) {
  const failures = []; const checked = {};
  const fail = (kind, i, why) => failures.push(`${kind}[${i}]: ${why}`);
  const count = (k) => (checked[k] = (checked[k] || 0) + 1);
  (input.signatures || []).forEach((c, i) => { count("signatures");
    const a = ethers.recoverAddress(c.hash, c.signature); if (a !== c.address) fail("signatures", i, `recovered ${a}, expected ${c.address}`);
    const expected = new SigningKey(c.privateKey).sign(c.hash).serialized; if (expected !== c.signature) fail("signatures", i, `ethers signs ${expected}, C# ${c.signature}`); });
  (input.personal || []).forEach((c, i) => { count("personal");
    const a = ethers.verifyMessage(c.message, c.signature); if (a !== c.address) fail("personal", i, `recovered ${a}`); });
  (input.transactions || []).forEach((c, i) => { count("transactions");
    try {
      const t = Transaction.from(c.raw);
      if (t.from !== c.from) fail("transactions", i, `from ${t.from} != ${c.from}`);
      if (t.hash !== c.hash) fail("transactions", i, `hash ${t.hash} != ${c.hash}`);
      if (t.type !== c.type) fail("transactions", i, `type ${t.type} != ${c.type}`);
      if (t.nonce !== c.nonce) fail("transactions", i, `nonce ${t.nonce} != ${c.nonce}`);
      if (t.chainId.toString() !== c.chainId) fail("transactions", i, `chainId ${t.chainId}`);
      if (t.value.toString() !== c.value) fail("transactions", i, `value ${t.value}`);
      if ((t.to || null) !== (c.to || null)) fail("transactions", i, `to ${t.to}`);
      if (t.data !== c.data) fail("transactions", i, `data ${t.data}`);
    } catch (e) { fail("transactions", i, e.message); } });
  (input.typed || []).forEach((c, i) => { count("typed");
    try {
      const j = JSON.parse(c.json); const types = { ...j.types }; delete types.EIP712Domain;
      const a = ethers.verifyTypedData(j.domain, types, j.message, c.signature); if (a !== c.address) fail("typed", i, `recovered ${a}, expected ${c.address}`);
      const h = TypedDataEncoder.hash(j.domain, types, j.message); if (h !== c.hash) fail("typed", i, `hash ${h} != ${c.hash}`);
    } catch (e) { fail("typed", i, e.message); } });
  (input.bids || []).forEach((c, i) => { count("bids");
    const a = ethers.verifyTypedData(bidDomain(c.chainId, c.escrow), BID_TYPES, c.bid, c.signature);
    if (a !== c.bid.consumer) fail("bids", i, `recovered ${a}, expected ${c.bid.consumer}`); });
  (input.keystores || []).forEach((c, i) => { count("keystores");
    try { const acct = ethers.decryptKeystoreJsonSync(c.json, c.password); if (acct.privateKey !== c.privateKey) fail("keystores", i, "different key"); }
    catch (e) { fail("keystores", i, e.message); } });
  const coder = AbiCoder.defaultAbiCoder();
  (input.abi || []).forEach((c, i) => { count("abi");
    try { const v = coder.decode(c.types, c.encoded); const again = coder.encode(c.types, v); if (again !== c.encoded) fail("abi", i, "re-encoding differs"); }
    catch (e) { fail("abi", i, e.message); } });
  return { failures, checked };
}

const mode = process.argv[2];
if (mode === "gen") {
  process.stdout.write(JSON.stringify(gen(Number(process.argv[3] || 1))));
} else if (mode === "check") {
  const chunks = []; process.stdin.on("data", (d) => chunks.push(d));
  process.stdin.on("end", () => process.stdout.write(JSON.stringify(check(JSON.parse(Buffer.concat(chunks).toString("utf8"))))));
} else {
  console.error("usage: node vectors.js gen <seed> | check < cases.json"); process.exit(2);
}
