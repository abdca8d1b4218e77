// Two small canvas charts: a market's trade prices over time and its order book depth. Prices are
// integer strings; they become Numbers only for plotting.

const COLORS = { ask: '#d9534f', bid: '#2e8b57', line: '#3366cc', grid: '#d8dce3', text: '#4a5160' };

function setup(canvas) {
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = COLORS.text;
  return { ctx, w: canvas.width, h: canvas.height, pad: { l: 78, r: 16, t: 14, b: 24 } };
}

function empty(c, text) {
  c.ctx.textAlign = 'center';
  c.ctx.fillText(text, c.w / 2, c.h / 2);
}

function axisLabels(c, lo, hi) {
  const { ctx, pad, h } = c;
  ctx.textAlign = 'right';
  ctx.fillText(Math.round(hi).toLocaleString('en-US'), pad.l - 6, pad.t + 8);
  ctx.fillText(Math.round(lo).toLocaleString('en-US'), pad.l - 6, h - pad.b);
  ctx.strokeStyle = COLORS.grid;
  ctx.strokeRect(pad.l, pad.t, c.w - pad.l - pad.r, h - pad.t - pad.b);
}

/** Price (base units per NCU-hour) of each trade, oldest first; one dot per trade. */
export function priceChart(canvas, trades) {
  const c = setup(canvas);
  canvas.dataset.points = String(trades.length);
  if (trades.length === 0) return empty(c, 'no trades yet');
  const ys = trades.map((t) => Number(t.price));
  const xs = trades.map((t) => t.at);
  let lo = Math.min(...ys), hi = Math.max(...ys);
  if (lo === hi) { lo *= 0.9; hi *= 1.1; }
  const x0 = Math.min(...xs), x1 = Math.max(...xs);
  const { ctx, pad, w, h } = c;
  const px = (x) => (x1 === x0 ? (pad.l + w - pad.r) / 2 : pad.l + ((x - x0) / (x1 - x0)) * (w - pad.l - pad.r));
  const py = (y) => h - pad.b - ((y - lo) / (hi - lo)) * (h - pad.t - pad.b);
  axisLabels(c, lo, hi);
  ctx.strokeStyle = COLORS.line;
  ctx.fillStyle = COLORS.line;
  ctx.beginPath();
  trades.forEach((t, i) => (i ? ctx.lineTo(px(xs[i]), py(ys[i])) : ctx.moveTo(px(xs[i]), py(ys[i]))));
  ctx.stroke();
  trades.forEach((t, i) => { ctx.beginPath(); ctx.arc(px(xs[i]), py(ys[i]), 3, 0, 2 * Math.PI); ctx.fill(); });
}

/** Cumulative depth (mNCU) by price: bids step down to the left, asks step up to the right. */
export function depthChart(canvas, asks, bids) {
  const c = setup(canvas);
  canvas.dataset.levels = String(asks.length + bids.length);
  if (asks.length + bids.length === 0) return empty(c, 'empty book');
  const prices = [...asks, ...bids].map((l) => Number(l.price));
  let lo = Math.min(...prices), hi = Math.max(...prices);
  const margin = lo === hi ? lo * 0.1 : (hi - lo) * 0.08; // keep the outermost levels off the frame
  lo -= margin; hi += margin;
  const cum = (levels) => levels.reduce((acc, l) => [...acc, (acc.at(-1) ?? 0) + l.milliNcu], []);
  const askCum = cum(asks), bidCum = cum(bids);
  const top = Math.max(...askCum, ...bidCum, 1);
  const { ctx, pad, w, h } = c;
  const px = (p) => pad.l + ((p - lo) / (hi - lo)) * (w - pad.l - pad.r);
  const py = (q) => h - pad.b - (q / top) * (h - pad.t - pad.b);
  ctx.textAlign = 'right';
  ctx.fillText(top.toLocaleString('en-US'), pad.l - 6, pad.t + 8);
  ctx.fillText('mNCU', pad.l - 6, pad.t + 22);
  ctx.fillText('0', pad.l - 6, h - pad.b);
  ctx.textAlign = 'center';
  ctx.fillText(Math.round(lo).toLocaleString('en-US'), pad.l + 20, h - 6);
  ctx.fillText(Math.round(hi).toLocaleString('en-US'), w - pad.r - 20, h - 6);
  ctx.strokeStyle = COLORS.grid;
  ctx.strokeRect(pad.l, pad.t, w - pad.l - pad.r, h - pad.t - pad.b);
  for (const [levels, totals, color] of [[asks, askCum, COLORS.ask], [bids, bidCum, COLORS.bid]]) {
    ctx.fillStyle = color;
    levels.forEach((l, i) => {
      const x = px(Number(l.price));
      ctx.globalAlpha = 0.35;
      ctx.fillRect(x - 4, py(totals[i]), 8, h - pad.b - py(totals[i]));
      ctx.globalAlpha = 1;
    });
  }
}
