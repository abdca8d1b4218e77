// Small JSON, HTTP and arithmetic helpers for scripts/demo.sh, so the demo needs nothing beyond
// Node.js (no curl or jq on a fresh Debian 12). Every command exits non-zero on failure.
//
//   get FILE PATH            value at a dotted path (a.b.0.c) of FILE's JSON ("-" = stdin); empty when absent
//   ready URL [MIN_OFFERS]   exit 0 when URL/health/ready is ready with at least MIN_OFFERS live offers
//   chain-id RPC             eth_chainId answers
//   receipt RPC TX           the transaction is mined and succeeded (status 0x1)
//   expect KIND PARAM        the value a demo job of KIND with PARAM must print, computed here, not in busybox
//   grade MNCU               gradeOf(MNCU) (docs/units-and-money.md)
//   summary DIR DECIMALS     the summary table of the jobs in DIR (written by demo-jobs.sh)
//   escrow DIR DEPOSIT       DIR/balance.json (market balance --json) equals the deposit (whole tokens)
//                            minus what the jobs in DIR paid plus the penalties they received; nothing locked
"use strict";
const fs = require("fs");
const path = require("path");
const crypto = require("crypto");

const [cmd, ...args] = process.argv.slice(2);

function readJson(file) {
  return JSON.parse(file === "-" ? fs.readFileSync(0, "utf8") : fs.readFileSync(file, "utf8"));
}

function at(obj, dotted) {
  let v = obj;
  for (const k of dotted.split(".").filter(Boolean)) {
    if (v === null || v === undefined) return undefined;
    v = v[k] !== undefined ? v[k] : v[k.charAt(0).toUpperCase() + k.slice(1)];
  }
  return v;
}

async function rpc(url, method, params = []) {
  const r = await fetch(url, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }), signal: AbortSignal.timeout(5000),
  });
  const body = await r.json();
  if (body.error) throw new Error(body.error.message);
  return body.result;
}

const gradeOf = (m) => (m > 1_000_000n ? 1 : m >= 10_000n ? 2 : m >= 500n ? 3 : 4);

function expect(kind, param) {
  const p = BigInt(param);
  switch (kind) {
    case "sum": return (p * (p + 1n) / 2n).toString();
    case "sha256": return crypto.createHash("sha256").update(`compute market demo job ${param}`).digest("hex");
    case "primes": {
      const n = Number(p), sieve = new Uint8Array(n);
      let count = 0;
      for (let i = 2; i < n; i++) if (!sieve[i]) { count++; for (let j = i * i; j < n; j += i) sieve[j] = 1; }
      return String(count);
    }
    case "fib": { let a = 0n, b = 1n; for (let i = 0n; i < p; i++) [a, b] = [b, a + b]; return a.toString(); }
    default: throw new Error(`unknown job kind ${kind}`);
  }
}

// Base units → whole tokens, exactly (integers only, no floating point).
function tokens(base, decimals) {
  if (base === undefined || base === null || base === "") return "-";
  const v = BigInt(base), d = BigInt(decimals), unit = 10n ** d;
  const frac = (v % unit).toString().padStart(Number(d), "0").replace(/0+$/, "");
  return (v / unit).toString() + (frac ? "." + frac : "");
}

const short = (h) => (h ? `${h.slice(0, 10)}…${h.slice(-4)}` : "-");
const TYPES = ["logical", "parallel", "neural"], GRADES = ["", "super", "large", "medium", "small"];
const market = (type, grade) => `${TYPES[type] ?? type}/${GRADES[grade] ?? grade} (${type}/${grade})`;
const base = (v) => (v === undefined || v === null ? "-" : String(v));

// The summary of the jobs listed in DIR/ids ("id kind param" lines), from the CLI's JSON
// (status-ID.json, settlement-ID.json) and the demo's own check (check-ID.txt).
function summary(dir, decimals) {
  const ids = fs.readFileSync(path.join(dir, "ids"), "utf8").split("\n").filter(Boolean).map((l) => l.split(" ")[0]);
  const head = ["job", "market (type/grade)", "clearing price", "provider", "usage mNCU·s", "paid", "refunded", "result", "lease open tx", "settlement tx", "finalize tx"];
  const rows = [], txs = ["job\tlease_open_tx\tsettlement_tx\tfinalize_tx"];
  let paid = 0n, refunded = 0n;
  for (const id of ids) {
    const job = readJson(path.join(dir, `status-${id}.json`)), s = readJson(path.join(dir, `settlement-${id}.json`));
    let check = fs.readFileSync(path.join(dir, `check-${id}.txt`), "utf8").trim();
    check = check.replace(/[0-9a-f]{24,}/, (h) => `${h.slice(0, 12)}…${h.slice(-4)}`);
    paid += BigInt(at(s, "charge") ?? 0);
    refunded += BigInt(at(s, "refunded") ?? 0);
    const open = at(job, "lease.openTx"), propose = at(s, "proposeTx"), settle = at(s, "settleTx");
    rows.push([
      String(at(job, "id")), market(at(job, "computeType"), at(job, "grade")),
      `${tokens(at(job, "pricePerNcuHour"), decimals)} /NCU-h`, short(at(job, "provider")),
      base(at(s, "usageMilliNcuSeconds")), base(at(s, "charge")), base(at(s, "refunded")),
      check, short(open), short(propose), short(settle),
    ]);
    txs.push([id, open, propose, settle].join("\t"));
  }
  fs.writeFileSync(path.join(dir, "txs.tsv"), txs.join("\n") + "\n");
  const width = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(width[i])).join("  ").trimEnd();
  return [
    line(head), line(width.map((w) => "-".repeat(w))), ...rows.map(line), "",
    `${rows.length} job(s), every result checked; paid ${paid} and refunded ${refunded} token base units in all (${tokens(paid.toString(), decimals)} and ${tokens(refunded.toString(), decimals)} tokens); prices in tokens per NCU-hour`,
    `full transaction hashes: ${path.join(dir, "txs.tsv")}`,
  ].join("\n");
}

function escrow(dir, deposit) {
  const b = readJson(path.join(dir, "balance.json"));
  const decimals = Number(at(b, "decimals") ?? 6);
  const ids = fs.readFileSync(path.join(dir, "ids"), "utf8").split("\n").filter(Boolean).map((l) => l.split(" ")[0]);
  let paid = 0n, penalties = 0n;
  for (const id of ids) {
    const s = readJson(path.join(dir, `settlement-${id}.json`));
    paid += BigInt(at(s, "charge") ?? 0);
    penalties += BigInt(at(s, "penalty") ?? 0);
  }
  const expected = BigInt(deposit) * 10n ** BigInt(decimals) - paid + penalties;
  const free = BigInt(at(b, "escrowFree")), locked = BigInt(at(b, "escrowLocked"));
  const ok = free === expected && locked === 0n;
  console.log(`consumer escrow on chain: ${free} free, ${locked} locked; deposit ${deposit} tokens − paid ${paid} + penalties ${penalties} = ${expected} ${ok ? "✓" : "✗"}`);
  return ok ? 0 : 1;
}

async function main() {
  switch (cmd) {
    case "get": {
      const v = at(readJson(args[0]), args[1]);
      if (v !== undefined && v !== null) process.stdout.write(typeof v === "object" ? JSON.stringify(v) : String(v));
      return 0;
    }
    case "ready": {
      const r = await fetch(args[0] + "/health/ready", { signal: AbortSignal.timeout(5000) });
      const body = await r.json();
      return r.ok && body.liveOffers >= Number(args[1] ?? 0) ? 0 : 1;
    }
    case "chain-id": await rpc(args[0], "eth_chainId"); return 0;
    case "receipt": {
      const rc = await rpc(args[0], "eth_getTransactionReceipt", [args[1]]);
      return rc && rc.status === "0x1" ? 0 : 1;
    }
    case "expect": console.log(expect(args[0], args[1])); return 0;
    case "grade": console.log(gradeOf(BigInt(args[0]))); return 0;
    case "summary": console.log(summary(args[0], args[1] ?? "6")); return 0;
    case "escrow": return escrow(args[0], args[1]);
    default: console.error(`demo-json.js: unknown command ${cmd}`); return 2;
  }
}

main().then((code) => process.exit(code), (e) => { console.error(`demo-json.js ${cmd}: ${e.message}`); process.exit(1); });
