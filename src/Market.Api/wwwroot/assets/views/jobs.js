// The signed-in wallet's jobs with live status (polled), and one job's timeline, lease and logs.
import { api, session } from '../api.js';
import { el, group, marketName, shortAddress, table, time } from '../dom.js';
import { poll } from '../poll.js';
import { signIn } from '../wallet.js';

const FINAL = ['exited', 'failed', 'settled', 'reclaimed', 'expired', 'cancelled', 'rejected', 'refused'];

function signInPrompt(root, error) {
  root.append(el('p', {}, 'Sign in with your wallet to see your jobs.'),
    el('button', { 'data-testid': 'jobs-sign-in', onclick: async () => {
      try { await signIn(); window.dispatchEvent(new HashChangeEvent('hashchange')); } catch (e) { error.textContent = e.message; }
    } }, 'Sign in with wallet'));
}

function jobList(jobs, selected) {
  if (jobs.length === 0) return el('p', {}, 'No jobs yet: submit one.');
  return table(['job', 'status', 'market', 'mNCU', 'price', 'created'], jobs.map((j) =>
    el('tr', { class: String(j.id) === selected ? 'selected clickable' : 'clickable', 'data-testid': 'job-row', dataset: { job: String(j.id), status: j.status },
      onclick: () => { location.hash = `#/jobs/${j.id}`; } },
    el('td', {}, `#${j.id}`), el('td', {}, el('span', { class: `badge ${j.status}`, 'data-field': 'status' }, j.status)),
    el('td', {}, marketName(j.computeType, j.grade)), el('td', { class: 'num' }, group(j.milliNcu)),
    el('td', { class: 'num' }, group(j.pricePerNcuHour)), el('td', {}, time(j.createdAt)))), { class: 'grid', 'data-testid': 'jobs-table' });
}

function jobDetail(j, onCancel) {
  const facts = [
    ['status', j.status], ['market', marketName(j.computeType, j.grade)], ['mNCU', group(j.milliNcu)],
    ['max price', group(j.maxPricePerNcuHour)], ['price', group(j.pricePerNcuHour)], ['provider', j.provider ?? '—'],
    ['lease', j.lease ? `#${j.lease.id} ${j.lease.status}${j.lease.agentStatus ? ` (agent: ${j.lease.agentStatus})` : ''}` : '—'],
    ['exit code', j.lease?.exitCode ?? '—'], ['spec hash', j.jobSpecHash], ['image', j.spec?.image ?? '—'],
  ];
  return el('div', { 'data-testid': 'job-detail', dataset: { job: String(j.id), status: j.status } },
    el('h2', {}, `Job #${j.id}`),
    el('dl', { class: 'facts' }, facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', { class: 'mono', 'data-field': k }, String(v))])),
    FINAL.includes(j.status) ? null : el('button', { class: 'secondary', onclick: onCancel }, 'Cancel job'),
    el('h3', {}, 'Timeline'),
    table(['time', 'status', 'detail'], j.timeline.map((t) => el('tr', {}, el('td', {}, time(t.at)), el('td', {}, t.status), el('td', {}, t.detail ?? ''))),
      { class: 'grid small' }));
}

export default function jobs(root, selected) {
  const error = el('p', { class: 'error', role: 'alert' });
  const s = session.get();
  root.append(el('h1', {}, 'My jobs'), error);
  if (!s) { signInPrompt(root, error); return () => {}; }
  root.append(el('p', { class: 'muted' }, 'Signed in as ', el('span', { class: 'mono' }, shortAddress(s.address))));
  const listBox = el('div'), detailBox = el('div'), logBox = el('pre', { class: 'logs', 'data-testid': 'job-logs' });
  root.append(el('div', { class: 'row' }, listBox, el('section', { class: 'detail' }, detailBox, selected ? el('h3', {}, 'Logs') : null, selected ? logBox : null)));

  let lastSeq = 0;
  const cancel = async () => {
    try { await api(`/v1/jobs/${selected}`, { method: 'DELETE', auth: true }); } catch (e) { error.textContent = e.message; }
  };
  return poll(async () => {
    listBox.replaceChildren(jobList(await api('/v1/jobs?limit=100', { auth: true }), selected));
    if (selected) {
      detailBox.replaceChildren(jobDetail(await api(`/v1/jobs/${selected}`, { auth: true }), cancel));
      const lines = await api(`/v1/jobs/${selected}/logs?after=${lastSeq}`, { auth: true });
      for (const l of lines) {
        logBox.append(el('span', { class: l.stream }, l.data.endsWith('\n') ? l.data : l.data + '\n'));
        lastSeq = Math.max(lastSeq, l.seq);
      }
    }
    error.textContent = '';
  }, 2000, (e) => { error.textContent = e.message; });
}
