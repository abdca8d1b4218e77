// Providers as the indexer sees them on chain, with the market's own view of their agents.
import { api } from '../api.js';
import { el, GRADES, group, shortAddress, table, time, TYPES } from '../dom.js';
import { poll } from '../poll.js';

const perType = (o, fmt) => TYPES.filter((t) => o[t] != null).map((t) => `${t} ${fmt(o[t])}`).join(', ') || '—';

export default function providers(root) {
  const count = el('span', { 'data-testid': 'provider-count' }, '…');
  const list = el('div');
  const error = el('p', { class: 'error', role: 'alert' });
  root.append(el('h1', {}, 'Providers (', count, ')'), error, list);
  return poll(async () => {
    const all = await api('/v1/providers');
    count.textContent = String(all.length);
    list.replaceChildren(table(['provider', 'status', 'stake', 'capacity (mNCU)', 'grade', 'uptime', 'leases open / done / failed', 'last heartbeat'],
      all.map((p) => el('tr', { 'data-testid': 'provider-row', dataset: { address: p.address } },
        el('td', { title: p.address, class: 'mono' }, shortAddress(p.address)),
        el('td', {}, el('span', { class: `badge ${p.status}` }, p.status)),
        el('td', { class: 'num', 'data-field': 'stake' }, group(p.stake)),
        el('td', { 'data-field': 'capacity' }, perType(p.capacityMilli, group)),
        el('td', {}, perType(p.grade, (g) => GRADES[g] ?? String(g))),
        el('td', { class: 'num' }, p.uptimeRatio == null ? '—' : `${(p.uptimeRatio * 100).toFixed(2)} %`),
        el('td', { class: 'num' }, `${p.openLeases} / ${p.finishedLeases} / ${p.failedLeases}`),
        el('td', {}, p.lastHeartbeat ? time(p.lastHeartbeat) : 'never'))),
      { class: 'grid', 'data-testid': 'providers-table' }));
    error.textContent = '';
  }, 5000, (e) => { error.textContent = e.message; });
}
