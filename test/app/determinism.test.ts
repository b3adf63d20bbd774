/**
 * Two nodes fed the same random operations reach the same app hash at every height: two apps, each
 * on its own lmdb store, finalize and commit the same blocks of random signed state txs (set, inc,
 * dec, delete, batch, rule and owner changes, some refused), and one of them is closed and reopened
 * half-way, as a restarted node would be.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { afterAll, describe, expect, it } from 'vitest';
import { signTx, testKey, anyOf } from '../helpers/tx.ts';
import { AinApplication } from '../../app/application.ts';
import { addGenesisAccount, defaultAppState } from '../../app/genesis.ts';
import {
  MsgBatch,
  MsgCreateApp,
  MsgDecValue,
  MsgDeleteValue,
  MsgIncValue,
  MsgSetOwner,
  MsgSetRule,
  MsgSetValue,
} from '../../proto/gen/ain/state/v1/tx.ts';
import { openCommittedState, type CommittedState } from '../../tree/lmdb/index.ts';

const CHAIN_ID = 'ain-determinism-1';
const KEYS = [testKey('d-0'), testKey('d-1'), testKey('d-2')];
const BLOCKS = 30;
const TXS_PER_BLOCK = 8;

/** A seeded generator (xorshift32), so the "random" operations are the same on every run. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

interface Node {
  readonly dir: string;
  store: CommittedState;
  app: AinApplication;
}

function openNode(dir: string): Node {
  const store = openCommittedState(join(dir, 'app.lmdb'));
  return { dir, store, app: new AinApplication(store) };
}

describe('determinism of the state module', () => {
  const nodes: Node[] = [];
  afterAll(async () => {
    for (const node of nodes) {
      await node.store.close();
      rmSync(node.dir, { recursive: true, force: true });
    }
  });

  it('two nodes fed the same random operations have the same app hash at every height', async () => {
    let genesis = defaultAppState();
    for (const key of KEYS) genesis = addGenesisAccount(genesis, key.address, [{ denom: 'uain', amount: 10n ** 12n }]);
    for (let i = 0; i < 2; i++) nodes.push(openNode(mkdtempSync(join(tmpdir(), `ain-determinism-${i}-`))));
    const init = RequestInitChain.fromPartial({
      chainId: CHAIN_ID,
      initialHeight: 1n,
      appStateBytes: Buffer.from(JSON.stringify(genesis)),
    });
    const initHashes = nodes.map((node) => Buffer.from(node.app.initChain(init).appHash).toString('hex'));
    expect(initHashes[0]).toBe(initHashes[1]);

    const next = random(20261122);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
    const sequences = KEYS.map(() => 0n);
    const labels = ['a', 'b', 'c', '0x61', '1', 'true'];
    const path = () => `/apps/shared/${pick(labels)}/${pick(labels)}`;
    const randomValue = () => pick<unknown>([1, '1', true, 'x', { k: pick(labels), n: 3 }, 2.5]);

    const messages = (signer: string): Any[] => {
      switch (Math.floor(next() * 8)) {
        case 0:
          return [anyOf(MsgIncValue, { signer, path: path(), delta: String(Math.floor(next() * 10)) })];
        case 1:
          return [anyOf(MsgDecValue, { signer, path: path(), delta: '1' })];
        case 2:
          return [anyOf(MsgDeleteValue, { signer, path: path() })];
        case 3:
          return [
            anyOf(MsgBatch, {
              signer,
              ops: [
                { op: { $case: 'setValue', value: { path: path(), value: JSON.stringify(randomValue()) } } },
                { op: { $case: 'incValue', value: { path: path(), delta: '2' } } },
              ],
            }),
          ];
        case 4:
          return [
            anyOf(MsgSetRule, {
              signer,
              path: `/apps/shared/${pick(labels)}/$x`,
              rule: JSON.stringify({ write: pick(['true', 'auth.addr != ""', 'newData != 1']) }),
            }),
          ];
        case 5:
          return [
            anyOf(MsgSetOwner, {
              signer,
              path: `/apps/shared/${pick(labels)}`,
              owner: JSON.stringify({
                owners: { '*': { branch_owner: true, write_function: true, write_owner: true, write_rule: next() < 0.8 } },
              }),
            }),
          ];
        default:
          return [anyOf(MsgSetValue, { signer, path: path(), value: JSON.stringify(randomValue()) })];
      }
    };

    let height = 0n;
    const deliver = (txs: Uint8Array[]) => {
      height += 1n;
      const request = RequestFinalizeBlock.fromPartial({ txs, height, time: { seconds: 1_700_000_000n + height, nanos: 0 } });
      const results = nodes.map((node) => {
        const response = node.app.finalizeBlock(request);
        node.app.commit();
        return { hash: Buffer.from(response.appHash).toString('hex'), codes: response.txResults.map((r) => r.code) };
      });
      expect(results[1], `height ${height}`).toEqual(results[0]);
      return results[0]!;
    };

    // Block 1: a public app everybody may write in.
    const creator = KEYS[0]!;
    deliver([
      signTx({
        key: creator,
        chainId: CHAIN_ID,
        accountNumber: 0n,
        sequence: sequences[0]!++,
        gasLimit: 400_000n,
        fee: [{ denom: 'uain', amount: '10000' }],
        messages: [anyOf(MsgCreateApp, { signer: creator.address, name: 'shared', admins: KEYS.map((k) => k.address), public: true })],
      }),
    ]);

    const codes = new Set<number>();
    for (let block = 0; block < BLOCKS; block++) {
      const txs: Uint8Array[] = [];
      for (let t = 0; t < TXS_PER_BLOCK; t++) {
        const index = Math.floor(next() * KEYS.length);
        const key = KEYS[index]!;
        txs.push(
          signTx({
            key,
            chainId: CHAIN_ID,
            accountNumber: BigInt(index),
            sequence: sequences[index]!++,
            gasLimit: 400_000n,
            fee: [{ denom: 'uain', amount: '10000' }],
            messages: messages(key.address),
          }),
        );
      }
      for (const code of deliver(txs).codes) codes.add(code);
      if (block === BLOCKS / 2) {
        // Node 1 restarts: closed and reopened from its lmdb files.
        const restarted = nodes[1]!;
        await restarted.store.close();
        nodes[1] = openNode(restarted.dir);
        expect(nodes[1].app.info({ version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' }).lastBlockHeight).toBe(height);
      }
    }
    // The random operations exercised both successes and refusals.
    expect(codes.has(0)).toBe(true);
    expect([...codes].some((code) => code !== 0)).toBe(true);
  });
});
