// Runs the dashboard's own hashing modules (src/Market.Api/wwwroot/assets) on the specs given as
// a JSON array on stdin and prints, per spec, what the browser would sign: canonical JSON,
// jobSpecHash, constraintsHash, mNCU and grade — or the error it would show. HashingTests.cs
// compares this with Market.Chain's CanonicalJson and Keccak256.
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const assets = path.resolve('src/Market.Api/wwwroot/assets');
const { canonicalJson, describeSpec } = await import(pathToFileURL(path.join(assets, 'canonical.js')).href);

let input = '';
for await (const chunk of process.stdin) input += chunk;
const out = JSON.parse(input).map((text) => {
  try {
    const spec = JSON.parse(text);
    const d = describeSpec(spec);
    return { canonical: canonicalJson(spec), jobSpecHash: d.jobSpecHash, constraintsHash: d.constraintsHash, milliNcu: String(d.milliNcu), grade: d.grade };
  } catch (e) {
    return { error: e.message };
  }
});
process.stdout.write(JSON.stringify(out));
