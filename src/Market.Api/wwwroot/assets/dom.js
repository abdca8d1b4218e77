// Building DOM nodes with text content only: nothing from the API (metadata URIs, log lines,
// error details) is ever parsed as HTML, and no style attribute is needed (the CSP forbids them).

/** el('td', {class: 'num', dataset: {value: '5'}}, 'text', child) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v == null || v === false) continue;
    if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) if (c != null && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** 1234567 → "1,234,567" (integers of any size, given as strings or BigInt). */
export function group(n) {
  if (n == null || n === '') return '—';
  const s = String(n);
  const neg = s.startsWith('-');
  const digits = neg ? s.slice(1) : s;
  return (neg ? '-' : '') + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export const TYPES = ['logical', 'parallel', 'neural'];
export const GRADES = { 1: 'super', 2: 'large', 3: 'medium', 4: 'small' };

export const marketName = (t, g) => `${TYPES[t]} · ${GRADES[g]}`;

export function shortAddress(a) {
  return a ? `${a.slice(0, 6)}…${a.slice(-4)}` : '—';
}

export function time(ms) {
  return ms ? new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '—';
}

/** A table with a header row; rows are arrays of cells (nodes or text). */
export function table(headers, rows, attrs = {}) {
  return el('table', attrs,
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows));
}
