// Markets by compute type × grade: best ask/bid and depth for all, then for the selected one its
// depth chart, price history chart, order book levels and recent trades.
import { api } from '../api.js';
import { depthChart, priceChart } from '../chart.js';
import { el, group, marketName, table, time } from '../dom.js';
import { poll } from '../poll.js';

const depth = (levels) => levels.reduce((s, l) => s + l.milliNcu, 0);

function overview(markets, selected) {
  return table(['market', 'best ask', 'best bid', 'ask depth (mNCU)', 'bid depth (mNCU)', 'last price', 'clearing price'],
    markets.map((m) => {
      const key = `${m.computeType}-${m.grade}`;
      return el('tr', {
        class: key === selected ? 'selected clickable' : 'clickable', 'data-testid': 'market-row', dataset: { market: key },
        onclick: () => { location.hash = `#/markets/${key}`; },
      },
      el('td', {}, marketName(m.computeType, m.grade)),
      el('td', { class: 'num ask', 'data-field': 'best-ask' }, group(m.bestAsk)),
      el('td', { class: 'num bid', 'data-field': 'best-bid' }, group(m.bestBid)),
      el('td', { class: 'num', 'data-field': 'ask-depth' }, group(depth(m.asks))),
      el('td', { class: 'num', 'data-field': 'bid-depth' }, group(depth(m.bids))),
      el('td', { class: 'num', 'data-field': 'last-price' }, group(m.lastPrice)),
      el('td', { class: 'num' }, group(m.lastClearingPrice)));
    }), { class: 'grid', 'data-testid': 'markets-table' });
}

function levels(title, rows, cls) {
  return el('div', {}, el('h3', {}, title),
    table(['price', 'mNCU', 'orders'], rows.map((l) =>
      el('tr', {}, el('td', { class: `num ${cls}` }, group(l.price)), el('td', { class: 'num' }, group(l.milliNcu)), el('td', { class: 'num' }, l.orders))),
    { class: 'grid small', 'data-testid': `${cls}-levels` }));
}

export default function markets(root, arg) {
  const overviewBox = el('div');
  const depthCanvas = el('canvas', { width: 560, height: 220, 'data-testid': 'depth-chart' });
  const priceCanvas = el('canvas', { width: 560, height: 220, 'data-testid': 'price-chart' });
  const title = el('h2');
  const book = el('div', { class: 'row' });
  const trades = el('div');
  const error = el('p', { class: 'error', role: 'alert' });
  root.append(el('h1', {}, 'Markets'), error, overviewBox, el('section', { class: 'detail' }, title,
    el('div', { class: 'row' }, el('figure', {}, el('figcaption', {}, 'Depth'), depthCanvas),
      el('figure', {}, el('figcaption', {}, 'Price history (base units per NCU-hour)'), priceCanvas)),
    book, trades));

  let selected = arg;
  const refresh = async () => {
    const all = await api('/v1/markets');
    if (!selected) {
      const first = all.find((m) => m.bestAsk) ?? all[0];
      selected = first && `${first.computeType}-${first.grade}`;
    }
    overviewBox.replaceChildren(overview(all, selected));
    const m = all.find((x) => `${x.computeType}-${x.grade}` === selected);
    if (!m) return;
    title.textContent = marketName(m.computeType, m.grade);
    depthChart(depthCanvas, m.asks, m.bids);
    const history = await api(`/v1/markets/${m.computeType}/${m.grade}/trades?limit=200`);
    priceChart(priceCanvas, history);
    book.replaceChildren(levels('Asks (offers)', m.asks, 'ask'), levels('Bids (jobs)', m.bids, 'bid'));
    trades.replaceChildren(el('h3', {}, 'Recent trades'), m.recentTrades.length === 0 ? el('p', {}, 'none yet') :
      table(['time', 'price', 'mNCU', 'job', 'offer'], m.recentTrades.map((t) => el('tr', {},
        el('td', {}, time(t.at)), el('td', { class: 'num' }, group(t.price)), el('td', { class: 'num' }, group(t.milliNcu)),
        el('td', {}, t.bidId), el('td', {}, t.offerId))), { class: 'grid small', 'data-testid': 'trades-table' }));
    error.textContent = '';
  };
  return poll(refresh, 3000, (e) => { error.textContent = e.message; });
}
