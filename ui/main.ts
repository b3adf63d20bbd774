/**
 * The explorer's entry point: a hash router over a handful of pages, a search box, and live updates
 * (CometBFT's websocket `NewBlock` events re-render the live pages). Served by the node's REST server
 * under /ui; built by scripts/buildUi.mjs.
 */
import './style.css';
import { type Api, connectApi } from './api.ts';
import { h, show } from './dom.ts';
import { accountPage, validatorList, validatorPage } from './pages/accounts.ts';
import { blockList, blockPage, txPage } from './pages/blocks.ts';
import { dashboard } from './pages/dashboard.ts';
import { executorsPage } from './pages/executors.ts';
import { jobList, jobPage, requestPage } from './pages/jobs.ts';
import { statePage } from './pages/state.ts';

type Page = (api: Api, root: HTMLElement, arg: string) => Promise<void>;

/** Route patterns, first match wins; the captured part is the page's argument. */
const ROUTES: ReadonlyArray<readonly [RegExp, Page, boolean]> = [
  [/^$/, dashboard, true],
  [/^blocks$/, blockList, true],
  [/^blocks\/(\d+)$/, blockPage, false],
  [/^tx\/([0-9A-Fa-f]{64})$/, txPage, false],
  [/^account\/(ain1[0-9a-z]+)$/, accountPage, false],
  [/^validators$/, validatorList, false],
  [/^validators\/(ainvaloper1[0-9a-z]+)$/, validatorPage, false],
  [/^state(\/.*)?$/, (api, root, path) => statePage(api, root, decodeURIComponent(path || '/')), false],
  [/^executors$/, executorsPage, true],
  [/^jobs$/, jobList, true],
  [/^jobs\/(\d+)$/, jobPage, false],
  [/^requests\/(\d+)$/, requestPage, false],
];

const root = document.getElementById('app')!;
let rendering = 0;
let live = false;

async function render(api: Api): Promise<void> {
  const route = location.hash.replace(/^#\/?/, '');
  const found = ROUTES.map(([pattern, page, isLive]) => [pattern.exec(route), page, isLive] as const).find(([match]) => match);
  const ticket = ++rendering;
  if (!found) return show(root, h('p', {}, `No page at #/${route}.`));
  const [match, page, isLive] = found;
  live = isLive;
  const target = h('div', {});
  try {
    await page(api, target, match![1] ?? '');
  } catch (error) {
    show(target, h('p', { class: 'bad', 'data-testid': 'error' }, `Could not load this page: ${(error as Error).message}`));
  }
  // A slower render of a page the user already left must not replace the newer one.
  if (ticket === rendering) {
    show(root, target);
    root.dataset['loaded'] = route;
  }
}

/** Where the search box goes: a height, a tx hash, an address, a validator or a state path. */
function searchRoute(query: string): string {
  const q = query.trim();
  if (/^\d+$/.test(q)) return `blocks/${q}`;
  if (/^[0-9A-Fa-f]{64}$/.test(q)) return `tx/${q.toUpperCase()}`;
  if (q.startsWith('ainvaloper1')) return `validators/${q}`;
  if (q.startsWith('ain1')) return `account/${q}`;
  return `state/${q.replace(/^\/+/, '')}`;
}

/** Re-renders a live page on each new block, at most every 2 s; reconnects when the socket drops. */
function subscribe(api: Api): void {
  const socket = new WebSocket(`${api.rpcUrl.replace(/^http/, 'ws')}/websocket`);
  let last = 0;
  socket.addEventListener('open', () =>
    socket.send(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'subscribe', params: { query: "tm.event='NewBlock'" } })),
  );
  socket.addEventListener('message', () => {
    if (!live || Date.now() - last < 2000) return;
    last = Date.now();
    void render(api);
  });
  socket.addEventListener('close', () => setTimeout(() => subscribe(api), 5000));
}

async function start(): Promise<void> {
  const api = await connectApi();
  const status = await api.comet.status();
  document.getElementById('chain')!.textContent = `${status.nodeInfo.network} · ${status.nodeInfo.moniker}`;
  document.getElementById('search')!.addEventListener('submit', (event) => {
    event.preventDefault();
    const input = (event.target as HTMLFormElement).elements.namedItem('q') as HTMLInputElement;
    location.hash = `#/${searchRoute(input.value)}`;
  });
  window.addEventListener('hashchange', () => void render(api));
  subscribe(api);
  await render(api);
}

start().catch((error: unknown) =>
  show(root, h('p', { class: 'bad', 'data-testid': 'error' }, `Cannot reach the node: ${(error as Error).message}`)),
);
