// Job submission: the spec is hashed here exactly as the API hashes it, the Bid is built from it
// and signed by the wallet (eth_signTypedData_v4), then POST /v1/jobs.
import { api } from '../api.js';
import { describeSpec } from '../canonical.js';
import { el, GRADES, TYPES } from '../dom.js';
import { randomNonce, signBid, signIn } from '../wallet.js';

const SAMPLE = {
  version: 1,
  image: 'busybox:latest',
  command: ['sh', '-c', 'echo $((6 * 7))'],
  env: {},
  computeType: 0,
  milliNcu: 1000,
  resources: { memoryMb: 64, pids: 16, tmpMb: 16 },
  maxDurationSec: 60,
  network: false,
};

export default function submit(root) {
  const spec = el('textarea', { id: 'spec', rows: 16, spellcheck: 'false', 'data-testid': 'spec' });
  spec.value = JSON.stringify(SAMPLE, null, 2);
  const price = el('input', { id: 'max-price', inputmode: 'numeric', value: '3000000', 'data-testid': 'max-price' });
  const minutes = el('input', { id: 'deadline-min', inputmode: 'numeric', value: '10', 'data-testid': 'deadline-minutes' });
  const preview = el('dl', { class: 'facts', 'data-testid': 'bid-preview' });
  const status = el('p', { role: 'status', 'data-testid': 'submit-status' });
  const button = el('button', { type: 'submit', 'data-testid': 'submit-job' }, 'Sign with wallet and submit');

  const describe = () => {
    try {
      const d = describeSpec(JSON.parse(spec.value));
      preview.replaceChildren(...[
        ['market', `${TYPES[d.computeType] ?? d.computeType} · ${GRADES[d.grade] ?? d.grade}`], ['mNCU', String(d.milliNcu)],
        ['jobSpecHash', d.jobSpecHash], ['constraintsHash', d.constraintsHash],
      ].flatMap(([k, v]) => [el('dt', {}, k), el('dd', { class: 'mono', 'data-field': k }, v)]));
      return d;
    } catch (e) {
      preview.replaceChildren(el('dt', {}, 'spec'), el('dd', { class: 'error' }, e.message));
      return null;
    }
  };
  spec.addEventListener('input', describe);
  describe();

  const onSubmit = async (ev) => {
    ev.preventDefault();
    status.className = '';
    button.disabled = true;
    try {
      const parsed = JSON.parse(spec.value);
      const d = describe();
      if (!d) throw new Error('fix the spec first');
      if (!/^[1-9][0-9]*$/.test(price.value.trim())) throw new Error('max price must be a positive whole number of base units per NCU-hour');
      const mins = Number(minutes.value);
      if (!Number.isInteger(mins) || mins < 1) throw new Error('the deadline must be a whole number of minutes ≥ 1');
      status.textContent = 'Waiting for the wallet…';
      const { address } = await signIn();
      const bid = {
        consumer: address, jobSpecHash: d.jobSpecHash, computeType: d.computeType, grade: d.grade,
        milliNcu: Number(d.milliNcu), maxPricePerNcuHour: price.value.trim(), maxDurationSec: d.maxDurationSec,
        minUptimeBps: d.minUptimeBps, constraintsHash: d.constraintsHash, nonce: randomNonce(),
        deadline: Math.floor(Date.now() / 1000) + mins * 60,
      };
      const signature = await signBid(bid);
      status.textContent = 'Submitting…';
      const r = await api('/v1/jobs', { method: 'POST', auth: true, body: { requestId: `web-${bid.nonce.slice(0, 24)}`, spec: parsed, bid, signature } });
      status.replaceChildren('Accepted: ', el('a', { href: `#/jobs/${r.jobId}`, 'data-testid': 'submitted-job', dataset: { job: String(r.jobId) } }, `job #${r.jobId}`),
        ` (${r.status})`);
      status.className = 'ok';
    } catch (e) {
      status.textContent = e.code ? `${e.code}: ${e.message}` : e.message;
      status.className = 'error';
    } finally {
      button.disabled = false;
    }
  };

  root.append(el('h1', {}, 'Submit a job'),
    el('form', { class: 'submit', onsubmit: onSubmit },
      el('label', { for: 'spec' }, 'Job spec (JSON)'), spec,
      el('div', { class: 'row' },
        el('div', {}, el('label', { for: 'max-price' }, 'Max price (base units per NCU-hour)'), price),
        el('div', {}, el('label', { for: 'deadline-min' }, 'Bid valid for (minutes)'), minutes)),
      el('h3', {}, 'The bid you will sign'), preview, button, status));
  return () => {};
}
