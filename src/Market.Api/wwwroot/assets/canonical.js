// The job spec hashing the API checks (docs/api.md "Signed jobs"), byte for byte as
// src/Market.Chain/Json/CanonicalJson.cs: members sorted by UTF-16 code units, no whitespace,
// strings escaped as JSON.stringify does, integers only (|n| <= 2^53 - 1).
import { keccak256 } from './keccak.js';

export const ZERO32 = '0x' + '0'.repeat(64);

export function canonicalJson(v) {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean': return v ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(v)) throw new Error(`canonical JSON allows only integers up to 2^53-1; got ${v} (use a string)`);
      return String(v);
    case 'string':
      // A lone surrogate would be escaped here but turned into U+FFFD by the server: refuse it.
      if (!v.isWellFormed()) throw new Error('strings must be well-formed Unicode');
      return JSON.stringify(v);
    case 'object':
      if (Array.isArray(v)) return '[' + v.map(canonicalJson).join(',') + ']';
      return '{' + Object.keys(v).sort().map((k) => canonicalJson(k) + ':' + canonicalJson(v[k])).join(',') + '}';
    default:
      throw new Error(`canonical JSON cannot hold a ${typeof v}`);
  }
}

/** Grade of a demand in mNCU (docs/units-and-money.md): 1 super, 2 large, 3 medium, 4 small. */
export function gradeOf(milliNcu) {
  const m = BigInt(milliNcu);
  if (m <= 0n) return 0;
  if (m > 1000000n) return 1;
  if (m >= 10000n) return 2;
  if (m >= 500n) return 3;
  return 4;
}

/** Capacity the spec needs: its milliNcu, or ceil(2 × gflop / deadlineSec) for work + deadline (η = ½). */
export function neededMilliNcu(spec) {
  if (spec.milliNcu != null) return BigInt(spec.milliNcu);
  const w = spec.work;
  if (!w || !(w.deadlineSec > 0)) throw new Error('the spec needs milliNcu, or work with gflop and deadlineSec > 0');
  const d = BigInt(w.deadlineSec);
  return (BigInt(w.gflop) * 2n + d - 1n) / d;
}

/** jobSpecHash and constraintsHash of a parsed spec, and what the Bid must say about it. */
export function describeSpec(spec) {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) throw new Error('the spec must be a JSON object');
  const milliNcu = neededMilliNcu(spec);
  return {
    jobSpecHash: keccak256(canonicalJson(spec)),
    constraintsHash: spec.constraints != null ? keccak256(canonicalJson(spec.constraints)) : ZERO32,
    computeType: spec.computeType ?? 0,
    milliNcu,
    grade: gradeOf(milliNcu),
    maxDurationSec: spec.maxDurationSec,
    minUptimeBps: spec.constraints?.minUptimeBps ?? 0,
  };
}
