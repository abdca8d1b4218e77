// Hash router and the wallet button. Each view renders into <main> and returns a stop function
// (its polling ends when another view takes over).
import { session } from './api.js';
import { shortAddress } from './dom.js';
import jobs from './views/jobs.js';
import markets from './views/markets.js';
import providers from './views/providers.js';
import submit from './views/submit.js';

const VIEWS = { markets, providers, jobs, submit };
const main = document.querySelector('main');
const walletButton = document.getElementById('wallet');
let stop = () => {};

function route() {
  const [name, arg] = location.hash.replace(/^#\/?/, '').split('/');
  const view = VIEWS[name] ? name : 'markets';
  stop();
  main.replaceChildren();
  document.querySelectorAll('nav a').forEach((a) => a.classList.toggle('active', a.dataset.view === view));
  document.body.dataset.view = view;
  stop = VIEWS[view](main, arg || undefined);
  showWallet();
}

function showWallet() {
  const s = session.get();
  walletButton.textContent = s ? shortAddress(s.address) : window.ethereum ? 'Connect wallet' : 'No wallet';
  walletButton.title = s ? `signed in as ${s.address}` : '';
  walletButton.disabled = !s && !window.ethereum;
}

walletButton.addEventListener('click', async () => {
  const { signIn } = await import('./wallet.js');
  try {
    await signIn();
    route();
  } catch (e) {
    walletButton.title = e.message;
    walletButton.textContent = 'Sign-in failed';
  }
});

window.addEventListener('hashchange', route);
window.addEventListener('market-session', showWallet);
route();
