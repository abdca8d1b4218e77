// Talking to Market.Api on this origin. Errors are RFC 9457 problem details; they surface as
// ApiError carrying the problem's code ("insufficient-escrow") and detail.

const SESSION_KEY = 'market.session';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.code = (problem?.type || '').split('/').pop() || String(status);
    this.problem = problem;
  }
}

/** The signed-in wallet's bearer token, kept for this tab only. */
export const session = {
  get() {
    try {
      const s = JSON.parse(sessionStorage.getItem(SESSION_KEY));
      return s && Date.parse(s.expiresAt) > Date.now() + 5000 ? s : null;
    } catch { return null; }
  },
  set(s) { sessionStorage.setItem(SESSION_KEY, JSON.stringify(s)); },
  clear() { sessionStorage.removeItem(SESSION_KEY); },
};

export async function api(path, { method = 'GET', body, auth = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (auth) {
    const s = session.get();
    if (!s) throw new ApiError(401, { type: 'unauthenticated', detail: 'sign in with your wallet first' });
    headers.Authorization = `Bearer ${s.token}`;
  }
  const r = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) {
    if (r.status === 401 && auth) session.clear();
    throw new ApiError(r.status, data);
  }
  return data;
}

let chainInfo;
/** GET /v1/chain once: the chain id and the EIP-712 domain bids are signed under. */
export async function chain() {
  chainInfo ??= await api('/v1/chain');
  return chainInfo;
}
