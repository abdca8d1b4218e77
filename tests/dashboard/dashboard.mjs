// Drives the dashboard in Debian's headless chromium against a running stack (BrowserTests.cs
// starts it). Input on stdin: { baseUrl, chainId, consumerKey, outDir }. The wallet is an ethers
// Wallet behind window.ethereum (EIP-1193), injected before the page's scripts run. Fails (exit 1)
// on any console error, page error, failed request or figure that differs from the API; prints
// a JSON summary on success. Screenshots go to outDir.
import { chromium } from 'playwright-core';
import { ethers } from 'ethers';
import fs from 'node:fs';
import path from 'node:path';

let input = '';
for await (const chunk of process.stdin) input += chunk;
const cfg = JSON.parse(input);
fs.mkdirSync(cfg.outDir, { recursive: true });

const wallet = new ethers.Wallet(cfg.consumerKey);
const account = wallet.address.toLowerCase();
const walletCalls = [];
const problems = [];
const summary = { account, pages: [], screenshots: [] };

function fail(message) { throw new Error(message); }
const figure = (text) => (text.trim() === '—' ? null : text.replace(/,/g, '').trim());
const apiGet = async (p, token) => {
  const r = await fetch(cfg.baseUrl + p, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!r.ok) fail(`GET ${p} answered ${r.status}: ${await r.text()}`);
  return r.json();
};
const apiPost = async (p, body, token) => {
  const headers = { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  const r = await fetch(cfg.baseUrl + p, { method: 'POST', headers, body: JSON.stringify(body) });
  if (!r.ok) fail(`POST ${p} answered ${r.status}: ${await r.text()}`);
  return r.status === 204 ? null : r.json();
};
/** SIWE sign-in for a key held here (not through the page): challenge, personal_sign, token. */
const signInAs = async (w) => {
  const challenge = await apiPost('/v1/auth/challenge', { address: w.address.toLowerCase() });
  return (await apiPost('/v1/auth/token', { message: challenge.message, signature: await w.signMessage(challenge.message) })).token;
};

/**
 * The EIP-1193 provider a page sees; every request lands here, in Node. `chainId` is the chain the
 * wallet claims to be on; `rejectBid` makes it refuse the typed-data signature as a user would.
 */
const walletRequest = ({ chainId = cfg.chainId, rejectBid = false } = {}) => async (_source, method, params) => {
  walletCalls.push(method);
  switch (method) {
    case 'eth_requestAccounts':
    case 'eth_accounts':
      return [account];
    case 'eth_chainId':
      return '0x' + BigInt(chainId).toString(16);
    case 'personal_sign': {
      const [message, from] = params;
      if (from.toLowerCase() !== account) fail(`personal_sign for ${from}, not the wallet's account`);
      return wallet.signMessage(ethers.getBytes(message));
    }
    case 'eth_signTypedData_v4': {
      const [from, json] = params;
      if (from.toLowerCase() !== account) fail(`eth_signTypedData_v4 for ${from}, not the wallet's account`);
      if (rejectBid) throw new Error('User rejected the request.');
      const { domain, types, message, primaryType } = JSON.parse(json);
      if (primaryType !== 'Bid') fail(`unexpected primaryType ${primaryType}`);
      const { EIP712Domain, ...structs } = types;
      summary.signedDomain = domain;
      return wallet.signTypedData(domain, structs, message);
    }
    default:
      throw new Error(`the test wallet does not support ${method}`);
  }
};

/** A fresh browser context with the test wallet injected and every error, failed request and job POST recorded. */
async function openPage(browser, walletOptions) {
  const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
  await context.exposeBinding('__testWallet', walletRequest(walletOptions));
  await context.addInitScript(() => {
    window.ethereum = { isTestWallet: true, request: ({ method, params }) => window.__testWallet(method, params ?? []) };
  });
  const page = await context.newPage();
  page.jobPosts = 0;
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error on ${page.url()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error on ${page.url()}: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.method()} ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/v1/jobs')) page.jobPosts++; });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${r.request().method()} ${r.url()}`); });
  return page;
}

/** Submits the prefilled job on a fresh page and returns the status line once it shows ok or error. */
async function submitOn(page) {
  await page.goto(`${cfg.baseUrl}/#/submit`);
  await page.waitForSelector('[data-testid=bid-preview] [data-field=jobSpecHash]', { timeout: 15000 });
  await page.click('[data-testid=submit-job]');
  await page.waitForSelector('[data-testid=submit-status].ok, [data-testid=submit-status].error', { timeout: 30000 });
  return { ok: (await page.$('[data-testid=submit-status].ok')) !== null, text: await page.textContent('[data-testid=submit-status]') };
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
try {
  const page = await openPage(browser);
  const shot = async (name) => {
    // Whatever the view, nothing rendered from a wrong type ("[object …]", "undefined", "NaN").
    const text = await page.textContent('main');
    const junk = text.match(/\[object \w+\]|\bundefined\b|\bNaN\b/);
    if (junk) fail(`the ${name} view shows "${junk[0]}"`);
    const file = path.join(cfg.outDir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    summary.screenshots.push(file);
  };
  const visit = async (hash, ready) => {
    await page.goto(`${cfg.baseUrl}/${hash}`);
    await page.waitForSelector(ready, { timeout: 15000 });
    summary.pages.push(hash);
  };

  // Markets: every market's best ask, best bid and depth as the API states them.
  await visit('#/markets', '[data-testid=market-row]');
  await page.waitForFunction(() => document.querySelector('[data-testid=depth-chart]')?.dataset.levels > 0, null, { timeout: 15000 });
  const markets = await apiGet('/v1/markets');
  const rows = await page.$$eval('[data-testid=market-row]', (trs) => trs.map((tr) => ({
    key: tr.dataset.market,
    ...Object.fromEntries([...tr.querySelectorAll('[data-field]')].map((td) => [td.dataset.field, td.textContent])),
  })));
  if (rows.length !== markets.length) fail(`the page shows ${rows.length} markets, the API ${markets.length}`);
  const depth = (levels) => String(levels.reduce((s, l) => s + l.milliNcu, 0));
  for (const m of markets) {
    const row = rows.find((r) => r.key === `${m.computeType}-${m.grade}`) ?? fail(`market ${m.computeType}-${m.grade} missing`);
    const expect = { 'best-ask': m.bestAsk, 'best-bid': m.bestBid, 'ask-depth': depth(m.asks), 'bid-depth': depth(m.bids) };
    for (const [field, want] of Object.entries(expect))
      if (figure(row[field]) !== want) fail(`market ${row.key} ${field}: page shows ${row[field]}, API says ${want}`);
  }
  summary.marketsWithAsks = markets.filter((m) => m.bestAsk).map((m) => `${m.computeType}-${m.grade}:${m.bestAsk}`);
  const selected = markets.find((m) => m.bestAsk);
  const askLevels = await page.$$eval('[data-testid=ask-levels] tbody tr', (trs) => trs.map((tr) => tr.cells[0].textContent.replace(/,/g, '')));
  if (askLevels.join() !== selected.asks.map((l) => l.price).join()) fail(`ask levels ${askLevels} differ from the API's ${selected.asks.map((l) => l.price)}`);
  await shot('markets');

  // Providers: the count and each provider's stake.
  await visit('#/providers', '[data-testid=provider-row]');
  const providers = await apiGet('/v1/providers');
  const shown = await page.textContent('[data-testid=provider-count]');
  if (Number(shown) !== providers.length) fail(`provider count ${shown}, API ${providers.length}`);
  for (const p of providers) {
    const stake = await page.textContent(`[data-testid=provider-row][data-address="${p.address}"] [data-field=stake]`);
    if (figure(stake) !== p.stake) fail(`provider ${p.address} stake ${stake}, API ${p.stake}`);
  }
  summary.providerCount = providers.length;
  await shot('providers');

  // My jobs before signing in: a prompt, no request that needs a token.
  await visit('#/jobs', '[data-testid=jobs-sign-in]');

  // Submit: hash, sign through the wallet, POST.
  await visit('#/submit', '[data-testid=bid-preview] [data-field=jobSpecHash]');
  const specText = await page.inputValue('[data-testid=spec]');
  const previewHash = await page.textContent('[data-testid=bid-preview] [data-field=jobSpecHash]');
  await page.click('[data-testid=submit-job]');
  await page.waitForSelector('[data-testid=submit-status].ok, [data-testid=submit-status].error', { timeout: 30000 });
  const status = await page.textContent('[data-testid=submit-status]');
  await shot('submit');
  const jobId = Number(await page.getAttribute('[data-testid=submitted-job]', 'data-job', { timeout: 1000 }).catch(() => fail(`submission failed: ${status}`)));
  summary.jobId = jobId;
  for (const m of ['eth_requestAccounts', 'eth_chainId', 'personal_sign', 'eth_signTypedData_v4'])
    if (!walletCalls.includes(m)) fail(`the page never called ${m}`);

  // The job reached the API: sign in independently and list this wallet's jobs.
  const token = await signInAs(wallet);
  const mine = await apiGet('/v1/jobs', token);
  if (!mine.some((j) => j.id === jobId)) fail(`job ${jobId} is not in GET /v1/jobs: ${JSON.stringify(mine)}`);
  const job = await apiGet(`/v1/jobs/${jobId}`, token);
  if (job.jobSpecHash !== previewHash) fail(`the API stored spec hash ${job.jobSpecHash}, the page previewed ${previewHash}`);
  if (job.spec.image !== JSON.parse(specText).image) fail(`the API stored image ${job.spec.image}`);

  // The job's page follows its status; it matches the cheapest offer, which gives the market a trade.
  await visit(`#/jobs/${jobId}`, `[data-testid=job-detail][data-job="${jobId}"]`);
  await page.waitForFunction(() => !['submitted', 'open'].includes(document.querySelector('[data-testid=job-detail]')?.dataset.status), null, { timeout: 30000 });
  summary.jobStatus = await page.getAttribute('[data-testid=job-detail]', 'data-status');
  const listed = await page.getAttribute(`[data-testid=job-row][data-job="${jobId}"]`, 'data-status');
  if (!listed) fail('the job is not in the page\'s job list');

  // The provider's side through the real agent API, as ProviderAgent reports it: the lease is
  // running and printed a line. The open job page must follow both without a reload.
  const providerToken = await signInAs(new ethers.Wallet(cfg.providerKey));
  let leaseId = null;
  for (const until = Date.now() + 30000; leaseId == null && Date.now() < until; await new Promise((r) => setTimeout(r, 250)))
    leaseId = (await apiGet(`/v1/jobs/${jobId}`, token)).leaseId;
  if (leaseId == null) fail(`job ${jobId} never got a lease`);
  await apiPost(`/v1/agent/leases/${leaseId}/status`, { leaseId, status: 'Running' }, providerToken);
  await apiPost(`/v1/agent/leases/${leaseId}/logs`, { leaseId, seq: 1, stream: 'stdout', data: '42\n' }, providerToken);
  await page.waitForFunction(() => document.querySelector('[data-testid=job-detail]')?.dataset.status === 'running', null, { timeout: 15000 });
  await page.waitForFunction(() => document.querySelector('[data-testid=job-logs]')?.textContent.includes('42'), null, { timeout: 15000 });
  const facts = Object.fromEntries(await page.$$eval('[data-testid=job-detail] dd[data-field]', (dds) => dds.map((d) => [d.dataset.field, d.textContent])));
  const leased = await apiGet(`/v1/jobs/${jobId}`, token);
  if (facts.status !== 'running' || !leased.pricePerNcuHour || figure(facts.price) !== leased.pricePerNcuHour || !facts.lease?.startsWith(`#${leaseId} `))
    fail(`job facts on the page: ${JSON.stringify(facts)}`);
  summary.leaseId = leaseId;
  summary.runningStatus = await page.getAttribute(`[data-testid=job-row][data-job="${jobId}"]`, 'data-status');
  await shot('job');

  const market = `${job.computeType}-${job.grade}`;
  await visit(`#/markets/${market}`, '[data-testid=trades-table]');
  const trades = await apiGet(`/v1/markets/${job.computeType}/${job.grade}/trades`);
  if (trades.length === 0 || !trades.some((t) => t.bidId === jobId)) fail(`no trade for job ${jobId} in /v1/markets/${market}/trades`);
  await page.waitForFunction((n) => document.querySelector('[data-testid=price-chart]')?.dataset.points === String(n), trades.length, { timeout: 10000 });
  summary.trades = trades.length;
  summary.tradePrice = trades.at(-1).price;
  await shot('market-after-trade');

  // A wallet on another chain, and one whose user refuses to sign: a clear message, no job posted.
  const wrongChain = await openPage(browser, { chainId: 1 });
  const wc = await submitOn(wrongChain);
  if (wc.ok || !wc.text.includes(`switch it to chain ${cfg.chainId}`)) fail(`wrong chain: the page said "${wc.text}"`);
  const refusing = await openPage(browser, { rejectBid: true });
  const rf = await submitOn(refusing);
  if (rf.ok || !rf.text.includes('User rejected the request')) fail(`rejected signature: the page said "${rf.text}"`);
  if (wrongChain.jobPosts + refusing.jobPosts !== 0) fail('a job was posted without a valid signature');
  await refusing.screenshot({ path: path.join(cfg.outDir, 'submit-rejected.png'), fullPage: true });
  summary.refusals = [wc.text, rf.text];
  const after = await apiGet('/v1/jobs', token);
  if (after.length !== mine.length) fail(`jobs changed after refused submissions: ${mine.length} → ${after.length}`);

  if (problems.length) fail('the dashboard had errors:\n' + problems.join('\n'));
  summary.walletCalls = [...new Set(walletCalls)];
  process.stdout.write(JSON.stringify(summary));
} finally {
  await browser.close();
}
