/**
 * The state tree browser: walk the tree from `/apps`, see the value, the write rule that governs it,
 * the owner and function config at a path, and check a leaf value's Merkle proof in the browser against the app hash in the header
 * of the next block (the client library's `queryProof(...).verify()`, bundled).
 */
import { toHex } from '@cosmjs/encoding';
import { fetchAppHash, queryGet, queryMatchRule, queryProof } from '../../client/index.ts';
import type { Api } from '../api.ts';
import { facts, h, json, link, section, show } from '../dom.ts';

/** The route of a state path (`/apps/chat` gives `state/apps/chat`). */
const routeOf = (path: string): string => `state${path === '/' ? '' : path.split('/').map(encodeURIComponent).join('/')}`;

function breadcrumbs(path: string): HTMLElement {
  const labels = path.split('/').filter(Boolean);
  const crumbs: Array<HTMLElement | string> = [link('state', '/')];
  labels.forEach((label, i) => {
    crumbs.push(' / ', link(routeOf(`/${labels.slice(0, i + 1).join('/')}`), label));
  });
  return h('p', { class: 'crumbs', 'data-testid': 'state-path' }, ...crumbs);
}

export async function statePage(api: Api, root: HTMLElement, path: string): Promise<void> {
  const [[value, owner, fn], rule] = await Promise.all([
    Promise.all((['value', 'owner', 'function'] as const).map((kind) => queryGet(api.comet, { path, kind, depth: 1 }))),
    queryMatchRule(api.comet, { path }),
  ]);
  const node = value!.value;
  const isLeaf = node !== null && typeof node !== 'object';
  const children = node !== null && typeof node === 'object' && !Array.isArray(node) ? Object.keys(node).sort() : [];
  const proofBox = h('div', { 'data-testid': 'proof' });
  const verifyButton = h('button', { type: 'button', 'data-testid': 'verify-proof' }, 'Verify proof');
  verifyButton.addEventListener('click', () => void verify(api, path, proofBox));

  show(
    root,
    section(
      'State',
      breadcrumbs(path),
      facts([['Read at height', value!.height]]),
      children.length > 0
        ? h(
            'ul',
            { 'data-testid': 'state-children' },
            ...children.map((label) => h('li', {}, link(routeOf(`${path.replace(/\/$/, '')}/${label}`), label))),
          )
        : null,
      isLeaf ? h('div', {}, h('h3', {}, 'Value'), json(node, 'state-value'), verifyButton, proofBox) : null,
      node === null ? h('p', { 'data-testid': 'state-value' }, 'Nothing at this path.') : null,
    ),
    section(
      'Write rule',
      facts([
        ['Governing rule', rule.matchedPath || 'none'],
        [
          'Bound variables',
          Object.entries(rule.vars)
            .map(([name, label]) => `${name} = ${label}`)
            .join(', ') || '-',
        ],
      ]),
      json(rule.rule, 'state-rule'),
    ),
    section('Owner', json(owner!.value, 'state-owner')),
    section('Function', json(fn!.value, 'state-function')),
  );
}

/** Fetches the proof of the leaf at `path`, then checks it against the next block's app hash. */
async function verify(api: Api, path: string, box: HTMLElement): Promise<void> {
  box.replaceChildren('Fetching the proof...');
  try {
    const answer = await queryProof(api.comet, { path });
    const appHash = await fetchAppHash(api.comet, answer.height + 1);
    const ok = await answer.verify(appHash);
    box.replaceChildren(
      facts(
        [
          ['Result', h('strong', { 'data-testid': 'proof-result', class: ok ? 'ok' : 'bad' }, ok ? 'proof verified' : 'proof REJECTED')],
          ['Value height', answer.height],
          [`App hash of block ${answer.height + 1}`, h('code', {}, toHex(appHash).toUpperCase())],
          ['Proof size', `${answer.proof.length} bytes`],
        ],
        'proof-facts',
      ),
    );
  } catch (error) {
    box.replaceChildren(h('p', { class: 'bad', 'data-testid': 'proof-result' }, `proof check failed: ${(error as Error).message}`));
  }
}
