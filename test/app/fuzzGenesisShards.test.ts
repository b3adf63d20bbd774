/**
 * Hand-edited genesis files for the shards and channels modules (test/app/genesisMutation.fixture.ts):
 * a parent with a child link mid-flight and payment channels and contracts in every state, and its
 * child (test/app/shardsGenesis.fixture.ts). Each export imports as it is and runs blocks. Mutated in
 * one place of either section: InitChain refuses it naming the section, or the chain it starts runs
 * blocks without FinalizeBlock throwing. And a record or amount of those sections hand-edited: refused,
 * or what was imported is what the keepers write (each record of the shape of the one it replaced)
 * and the money adds up after the blocks: the `channels` account holds `escrow_total`, the sum of what
 * the channels and contracts hold; the `shards` account holds the children's escrows, each at least
 * the uain in flight to that child. And a chain renamed between export and import: its packets in flight
 * name the old id as their source, so InitChain and `aind genesis validate` refuse it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppState } from '../../app/index.ts';
import { AinError, moduleAddress, parseAddress } from '../../core/index.ts';
import { homePaths, validateHomeGenesis, writeGenesis } from '../../home/index.ts';
import { refusalOf } from '../helpers/errorCode.ts';
import { type ExportedChain, GenesisApps, genesisMutationArb, type Json } from './genesisMutation.fixture.ts';
import { exportShardsChains } from './shardsGenesis.fixture.ts';

const MODULES = ['shards', 'channels'];
const apps = new GenesisApps();
let chains: ExportedChain[] = [];

beforeAll(async () => {
  chains = await exportShardsChains();
});
afterAll(() => apps.close());

type Leaves = { [path: string]: Json };
const leavesOf = (appState: ExportedChain['appState'], module: string): Leaves =>
  ((appState[module] as { leaves?: Leaves } | undefined)?.leaves ?? {}) as Leaves;

function balanceOf(appState: ExportedChain['appState'], address: string, denom = 'uain'): bigint {
  const bank = appState.bank as { balances: { address: string; coins: { denom: string; amount: string }[] }[] };
  const amount = bank.balances.find((entry) => entry.address === address)?.coins.find((coin) => coin.denom === denom)?.amount;
  return BigInt(amount ?? '0');
}

/** An amount the oracle reads: decimal text, or it fails naming where. */
function decimal(value: Json | undefined, at: string): bigint {
  expect(value ?? '0', `${at}: decimal text`).toMatch(/^(0|[1-9][0-9]*)$/);
  return BigInt((value as string | undefined) ?? '0');
}

const amountAt = (leaves: Leaves, path: string): bigint => decimal(leaves[path], path);

/** What a channel or contract record holds in the `channels` account (README: escrow_total). */
function held(record: { [key: string]: string }): bigint {
  const n = (key: string) => decimal(record[key], key);
  if (record.payer !== undefined) return record.status === 'open' ? n('deposit') - n('redeemed') : 0n;
  if (record.status === 'proposed') return n('price');
  if (record.status === 'active') return n('price') - n('refunded') + n('deposit');
  return 0n;
}

/** The money of an imported chain's export, as the modules' READMEs state it. */
function checkMoney(appState: ExportedChain['appState'], what: string): void {
  const channels = leavesOf(appState, 'channels');
  // A counter at or below a stored id would hand that id out again, over its record.
  for (const kind of ['channel', 'contract']) {
    const next = amountAt(channels, `/channels/next_${kind}_id`) || 1n;
    for (const path of Object.keys(channels))
      if (path.startsWith(`/channels/${kind}s/`))
        expect(BigInt(path.split('/')[3]!) < next, `${what}: ${path} below next_${kind}_id`).toBe(true);
  }
  let sum = 0n;
  for (const [path, text] of Object.entries(channels))
    if (/^\/channels\/(channels|contracts)\/[^/]+$/.test(path)) sum += held(JSON.parse(text as string) as { [key: string]: string });
  expect(amountAt(channels, '/channels/escrow_total'), `${what}: escrow_total: the records`).toBe(sum);
  expect(balanceOf(appState, moduleAddress('channels')), `${what}: the channels account: escrow_total`).toBe(sum);

  const shards = leavesOf(appState, 'shards');
  let escrows = 0n;
  for (const [path, text] of Object.entries(shards)) {
    const link = /^\/shards\/children\/([^/]+)\/escrow$/.exec(path)?.[1];
    if (link === undefined) continue;
    escrows += decimal(text, path);
    const inFlight = Object.entries(shards)
      .filter(([packet]) => packet.startsWith(`/shards/children/${link}/out/packets/`))
      .reduce((total, [at, packet]) => total + decimal((JSON.parse(packet as string) as { amount: Json }).amount, at), 0n);
    const next = amountAt(shards, `/shards/children/${link}/out/next`) || 1n;
    for (const packet of Object.keys(shards))
      if (packet.startsWith(`/shards/children/${link}/out/packets/`))
        expect(BigInt(packet.split('/').at(-1)!) < next, `${what}: ${packet} below out/next`).toBe(true);
    expect(decimal(text, path) >= inFlight, `${what}: ${path}: at least the ${inFlight}uain in flight`).toBe(true);
  }
  expect(balanceOf(appState, moduleAddress('shards')), `${what}: the shards account: the escrows`).toBe(escrows);
}

/** `after` has the shape of `before`: the same keys, JSON types, decimal text and addresses. */
function sameShape(before: Json, after: Json, at: string): void {
  if (typeof before === 'string' && /^(0|[1-9][0-9]*)$/.test(before)) {
    expect(after, `${at}: decimal text`).toMatch(/^(0|[1-9][0-9]*)$/);
    return;
  }
  if (typeof before === 'string' && before.startsWith('ain1')) {
    expect(() => parseAddress(after as string), `${at}: an address`).not.toThrow();
    return;
  }
  if (Array.isArray(before) || before === null || typeof before !== 'object') {
    expect(Array.isArray(after) ? 'array' : typeof after, `${at}: its type`).toBe(Array.isArray(before) ? 'array' : typeof before);
    return;
  }
  expect(after !== null && typeof after === 'object' && !Array.isArray(after), `${at}: an object`).toBe(true);
  const object = after as { [key: string]: Json };
  // A child's registration may list no accounts (proto3 JSON then leaves the field out).
  const kept = Object.keys(before).filter((key) => key !== 'accounts' || key in object);
  expect(Object.keys(object).sort(), `${at}: its keys`).toEqual(kept.sort());
  for (const key of kept) sameShape(before[key]!, object[key]!, `${at}.${key}`);
}

const CORRUPT: Json[] = ['0x10', '', ' 1 ', '-5', '1.5', 'abc', '01', '99999999999999999999999', 5, -1, true, null, [], {}, 'ain1qqqq'];

/** One hand edit of a record field or amount leaf: to a nearby amount, another status, or a corrupt value. */
interface LeafEdit {
  readonly chain: number;
  readonly module: string;
  readonly leafSeed: number;
  readonly fieldSeed: number;
  readonly edit: 'up' | 'down' | 'zero' | 'status' | 'corrupt' | 'dropField' | 'dropLeaf';
  readonly corrupt: Json;
  readonly status: string;
}

const leafEditArb: fc.Arbitrary<LeafEdit> = fc.record({
  chain: fc.nat(1),
  module: fc.constantFrom(...MODULES),
  leafSeed: fc.nat(),
  fieldSeed: fc.nat(),
  edit: fc.constantFrom<LeafEdit['edit']>('up', 'down', 'zero', 'status', 'corrupt', 'corrupt', 'dropField', 'dropLeaf'),
  corrupt: fc.constantFrom(...CORRUPT),
  status: fc.constantFrom('open', 'closed', 'proposed', 'active', 'settled', 'cancelled'),
});

function nudge(value: Json, edit: LeafEdit): Json {
  if (edit.edit === 'corrupt') return edit.corrupt;
  if (edit.edit === 'status') return edit.status;
  if (typeof value === 'boolean') return !value;
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) return edit.corrupt;
  if (edit.edit === 'zero') return '0';
  return (BigInt(value) + (edit.edit === 'up' ? 1n : value === '0' ? 1n : -1n)).toString();
}

/** The edited app state and, for a record edited in place, the record before and after. */
function applyEdit(
  chain: ExportedChain,
  edit: LeafEdit,
): { appState: ExportedChain['appState']; before?: Json; after?: Json; what: string } {
  const leaves = leavesOf(chain.appState, edit.module);
  const paths = Object.keys(leaves);
  const path = paths[edit.leafSeed % paths.length]!;
  const value = leaves[path]!;
  let next: Json | undefined;
  let record: { before: Json; after: Json } | undefined;
  let what = `${edit.module} ${path} ${edit.edit}`;
  if (edit.edit === 'dropLeaf') next = undefined;
  else if (typeof value === 'string' && value.startsWith('{')) {
    const before = JSON.parse(value) as { [key: string]: Json };
    const keys = Object.keys(before);
    const key = keys[edit.fieldSeed % keys.length]!;
    const after = { ...before };
    if (edit.edit === 'dropField') delete after[key];
    else after[key] = nudge(before[key]!, edit);
    what += ` .${key} ${JSON.stringify(after[key])}`;
    next = JSON.stringify(Object.fromEntries(Object.entries(after).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
    record = { before, after };
  } else {
    next = nudge(value, edit);
    what += ` ${JSON.stringify(next)}`;
  }
  const { [path]: _edited, ...others } = leaves;
  const edited = next === undefined ? others : { ...others, [path]: next };
  const section = chain.appState[edit.module] as { [key: string]: Json };
  return { appState: { ...chain.appState, [edit.module]: { ...section, leaves: edited } }, ...record, what };
}

describe('genesis import of the shards and channels modules mid-flight', () => {
  it('imports each export as it is', async () => {
    expect(Object.keys(leavesOf(chains[0]!.appState, 'channels')).length).toBeGreaterThan(10);
    for (const chain of chains)
      await apps.with((app) => {
        expect(apps.initChain(app, chain, chain.appState)).toBeUndefined();
        apps.runBlocks(app, chain, chain.chainId);
        checkMoney(JSON.parse(JSON.stringify(app.exportGenesis())) as ExportedChain['appState'], chain.chainId);
      });
  });

  it('refuses a mutated shards or channels section, or starts a chain whose blocks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(genesisMutationArb(chains.length, MODULES), (mutation) => apps.check(chains, mutation)),
      { seed: 42, numRuns: 120 },
    );
  });

  it('refuses a hand-edited record or amount, or imports records as the keepers write them and money that adds up', async () => {
    await fc.assert(
      fc.asyncProperty(leafEditArb, async (edit) => {
        const chain = chains[edit.chain]!;
        const { appState, before, after, what } = applyEdit(chain, edit);
        await apps.with((app) => {
          const refusal = apps.initChain(app, chain, appState);
          if (refusal !== undefined) {
            expect(refusal, `${what}: ${String(refusal)}`).toBeInstanceOf(AinError);
            expect((refusal as AinError).message, what).toContain(edit.module);
            return;
          }
          if (before !== undefined) sameShape(before, after!, what);
          apps.runBlocks(app, chain, what);
          checkMoney(JSON.parse(JSON.stringify(app.exportGenesis())) as ExportedChain['appState'], what);
        });
      }),
      { seed: 42, numRuns: 150 },
    );
  });

  it("refuses packets in flight whose source is not the genesis's chain id, at InitChain and in `aind genesis validate`", async () => {
    const home = mkdtempSync(join(tmpdir(), 'aind-shards-genesis-'));
    try {
      mkdirSync(homePaths(home).configDir, { recursive: true });
      for (const chain of chains) {
        const packet = Object.keys(leavesOf(chain.appState, 'shards')).find((path) => path.includes('/out/packets/'))!;
        const refusal = `sdk/18 genesis shards.leaves["${packet}"] has sourceChainId ${chain.chainId}; expected ain-renamed-1`;
        await apps.with((app) => {
          const thrown = apps.initChain(app, { ...chain, chainId: 'ain-renamed-1' }, chain.appState);
          expect(thrown, String(thrown)).toBeInstanceOf(AinError);
          expect(`${(thrown as AinError).codespace}/${(thrown as AinError).code} ${(thrown as AinError).message}`).toContain(refusal);
        });
        const genesis = (chainId: string) =>
          writeGenesis(home, {
            genesis_time: new Date(Number(chain.seconds) * 1000).toISOString(),
            chain_id: chainId,
            initial_height: (chain.height + 1n).toString(),
            consensus_params: {},
            validators: [],
            app_hash: '',
            app_state: chain.appState as unknown as AppState,
          });
        genesis(chain.chainId);
        expect(validateHomeGenesis(home, false)).toBeUndefined();
        genesis('ain-renamed-1');
        expect(refusalOf(() => validateHomeGenesis(home, false))).toContain(refusal);
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
