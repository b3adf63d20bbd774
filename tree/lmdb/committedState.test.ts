import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { AinError, type ErrorDefinition } from '../../core/index.ts';
import { type CommittedState, openCommittedState } from './committedState.ts';
import {
  ErrCommitHeight,
  ErrDuplicatePath,
  ErrInvalidValue,
  ErrStalePrepared,
  ErrStoreClosed,
  ErrWriteToRoot,
  EMPTY_ROOT,
  toHex,
  MemoryTrie,
  verifyProof,
  comparePaths,
  randomValue,
  rng,
  tempDir,
  updateOf,
} from '../index.ts';
import type { StateValue, StateWrite } from '../../core/index.ts';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

function fresh(options?: Parameters<typeof openCommittedState>[1]): { state: CommittedState; dir: string } {
  const { dir, remove } = tempDir();
  cleanups.push(remove);
  const state = openCommittedState(dir, options);
  cleanups.push(() => state.close());
  return { state, dir };
}

function expectError(fn: () => unknown, definition: ErrorDefinition): void {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(AinError);
    expect({ codespace: (error as AinError).codespace, code: (error as AinError).code }).toEqual({
      codespace: definition.codespace,
      code: definition.code,
    });
    return;
  }
  throw new Error(`expected ${definition.codespace}/${definition.code}`);
}

function rootOf(entries: Iterable<[string, StateValue]>): string {
  const trie = new MemoryTrie();
  trie.apply([...entries].map(([p, v]) => updateOf(p, v)));
  return toHex(trie.root);
}

function commitWrites(state: CommittedState, writes: Record<string, StateWrite>, height: bigint): void {
  state.commit(state.prepare(new Map(Object.entries(writes))), height);
}

describe('committed state', () => {
  it('starts empty at height 0 with the empty root', () => {
    const { state } = fresh();
    expect(state.height).toBe(0n);
    expect(state.appHash).toEqual(EMPTY_ROOT);
    expect(state.get('/a')).toBeUndefined();
    expect(state.list('/', 10)).toEqual([]);
    expect(state.getMeta('x')).toBeUndefined();
    expect(verifyProof(state.appHash, '/a', undefined, state.prove('/a'))).toBe(true);
  });

  it('prepares without persisting, then commits', () => {
    const { state } = fresh();
    const block = state.prepare(
      new Map<string, StateWrite>([
        ['/a/b', 1],
        ['/a/c', 'x'],
        ['a/d/', true],
      ]),
    );
    expect(block.writeCount).toBe(3);
    expect(state.get('/a/b')).toBeUndefined();
    expect(state.appHash).toEqual(EMPTY_ROOT);
    state.commit(block, 1n);
    expect(state.height).toBe(1n);
    expect(toHex(state.appHash)).toBe(toHex(block.appHash));
    expect(state.get('/a/b')).toBe(1);
    expect(state.get('a/c')).toBe('x');
    expect(state.get('/a/d')).toBe(true);
    expect(toHex(state.appHash)).toBe(
      rootOf([
        ['/a/b', 1],
        ['/a/c', 'x'],
        ['/a/d', true],
      ]),
    );
  });

  it('lists a subtree as one range in path order, with a limit', () => {
    const { state } = fresh();
    commitWrites(state, { '/a/b': 1, '/a/b/c': 2, '/a/b/d/e': 3, '/a/bc': 4, '/a/b!': 5, '/a/a': 6, '/b': 7 }, 1n);
    expect(state.list('/a/b', 100)).toEqual([
      ['/a/b', 1],
      ['/a/b/c', 2],
      ['/a/b/d/e', 3],
    ]);
    expect(state.list('/a/b', 2)).toEqual([
      ['/a/b', 1],
      ['/a/b/c', 2],
    ]);
    expect(state.list('/a', Infinity).map(([p]) => p)).toEqual(['/a/a', '/a/b', '/a/b/c', '/a/b/d/e', '/a/b!', '/a/bc']);
    expect(state.list('/', 0)).toEqual([]);
    expect(state.list('/', 100)).toHaveLength(7);
    expect(state.list('/zzz', 100)).toEqual([]);
  });

  it('deletes leaves and keeps the root equal to a one-shot build over several blocks', () => {
    const { state } = fresh();
    const next = rng(4);
    const model = new Map<string, StateValue>();
    for (let h = 1n; h <= 8n; h++) {
      const writes = new Map<string, StateWrite>();
      for (let i = 0; i < 200; i++) {
        const path = `/accounts/ain${Math.floor(next() * 500)}/balance`;
        writes.set(path, next() < 0.25 ? null : randomValue(next));
      }
      state.commit(state.prepare(writes), h);
      for (const [p, v] of writes) {
        if (v === null) model.delete(p);
        else model.set(p, v);
      }
      expect(toHex(state.appHash)).toBe(rootOf(model));
    }
    const listed = state.list('/', Infinity);
    expect(new Map(listed)).toEqual(model);
    for (const [path, value] of model) expect(state.get(path)).toBe(value);
  });

  it('proves committed values and absences against the app hash', () => {
    const { state } = fresh();
    const writes = new Map<string, StateWrite>();
    for (let i = 0; i < 300; i++) writes.set(`/apps/chat/posts/${i}`, `post ${i}`);
    state.commit(state.prepare(writes), 1n);
    for (const i of [0, 17, 299]) {
      const path = `/apps/chat/posts/${i}`;
      expect(verifyProof(state.appHash, path, `post ${i}`, state.prove(path))).toBe(true);
      expect(verifyProof(state.appHash, path, `post ${i + 1}`, state.prove(path))).toBe(false);
    }
    for (const path of ['/apps/chat/posts/300', '/apps/chat', '/nothing']) {
      expect(verifyProof(state.appHash, path, undefined, state.prove(path))).toBe(true);
    }
    const old = state.appHash;
    commitWrites(state, { '/apps/chat/posts/0': 'edited' }, 2n);
    expect(verifyProof(old, '/apps/chat/posts/0', 'post 0', state.prove('/apps/chat/posts/0'))).toBe(false);
    expect(verifyProof(state.appHash, '/apps/chat/posts/0', 'edited', state.prove('/apps/chat/posts/0'))).toBe(true);
  });

  it('refuses stale prepared blocks, non-increasing heights and bad writes', () => {
    const { state } = fresh();
    const a = state.prepare(new Map([['/a', 1]]));
    const b = state.prepare(new Map([['/b', 2]]));
    state.commit(a, 1n);
    expectError(() => state.commit(b, 2n), ErrStalePrepared);
    expectError(() => state.commit(a, 2n), ErrStalePrepared);
    expectError(() => state.commit(state.prepare(new Map([['/c', 3]])), 1n), ErrCommitHeight);
    expectError(() => state.prepare(new Map([['/', 1]])), ErrWriteToRoot);
    expectError(
      () =>
        state.prepare(
          new Map([
            ['/a', 1],
            ['a', 2],
          ]),
        ),
      ErrDuplicatePath,
    );
    expectError(() => state.prepare(new Map([['/a', Number.NaN]])), ErrInvalidValue);
    const other = fresh().state;
    expectError(() => other.commit(state.prepare(new Map([['/c', 3]])), 1n), ErrStalePrepared);
    expect(state.get('/b')).toBeUndefined();
  });

  it('rolls back a commit whose transaction fails half-way', () => {
    const { state } = fresh();
    commitWrites(state, { '/a': 1 }, 1n);
    const before = toHex(state.appHash);
    const block = state.prepare(
      new Map<string, StateWrite>([
        ['/a', null],
        ['/b', 2],
      ]),
    );
    const exploding = new Map([['x', 'y']]);
    exploding[Symbol.iterator] = () => {
      throw new Error('disk on fire');
    };
    expect(() => state.commit(block, 2n, exploding)).toThrow('disk on fire');
    expect(state.height).toBe(1n);
    expect(toHex(state.appHash)).toBe(before);
    expect(state.get('/a')).toBe(1);
    expect(state.get('/b')).toBeUndefined();
    state.commit(block, 2n);
    expect(state.get('/a')).toBeUndefined();
    expect(state.get('/b')).toBe(2);
  });

  it('answers reads from its leaf cache in step with commits, failed commits and async commits', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const state = openCommittedState(dir);
    // getCanonical is the overlays' read, through the cache (get, the queries' read, goes past it).
    const read = () => ['/a', '/b', '/c'].map((path) => state.getCanonical(path));
    commitWrites(state, { '/a': 1, '/b': 'x' }, 1n);
    expect(read()).toEqual([1, 'x', undefined]); // now cached, /c as absent
    commitWrites(state, { '/a': 2, '/b': null, '/c': true }, 2n);
    expect(read()).toEqual([2, undefined, true]);
    const failing = new Map([['m', 'v']]);
    failing[Symbol.iterator] = () => {
      throw new Error('disk on fire');
    };
    expect(() => state.commit(state.prepare(new Map([['/a', 9]])), 3n, failing)).toThrow('disk on fire');
    expect(read()).toEqual([2, undefined, true]);
    const durable = state.commitAsync(
      state.prepare(
        new Map<string, StateWrite>([
          ['/a', 3],
          ['/b', 'y'],
          ['/c', null],
        ]),
      ),
      3n,
    );
    expect(read()).toEqual([3, 'y', undefined]); // from the pending layer
    await durable;
    await state.flushed();
    expect(read()).toEqual([3, 'y', undefined]); // the pending layer is gone: from the cache
    await state.close();
    const reopened = openCommittedState(dir);
    cleanups.push(() => reopened.close());
    expect(['/a', '/b', '/c'].map((path) => reopened.getCanonical(path))).toEqual([3, 'y', undefined]);
    expect(['/a', '/b', '/c'].map((path) => reopened.get(path))).toEqual([3, 'y', undefined]);
  });

  it('reopens with the same height, app hash, values and metadata', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const first = openCommittedState(join(dir, 'db'));
    const writes = new Map<string, StateWrite>();
    for (let i = 0; i < 500; i++) writes.set(`/x/${i}`, i % 3 === 0 ? `s${i}` : i % 3 === 1 ? i : i % 2 === 0);
    first.commit(
      first.prepare(writes),
      7n,
      new Map([
        ['chain_id', 'ain-test'],
        ['params', '{"a":1}'],
      ]),
    );
    first.commit(first.prepare(new Map([['/x/1', null]])), 9n, new Map([['params', null]]));
    const height = first.height;
    const appHash = toHex(first.appHash);
    const listed = first.list('/', Infinity);
    await first.close();
    expectError(() => first.get('/x/2'), ErrStoreClosed);
    const second = openCommittedState(join(dir, 'db'));
    cleanups.push(() => second.close());
    expect(second.height).toBe(height);
    expect(toHex(second.appHash)).toBe(appHash);
    expect(second.list('/', Infinity)).toEqual(listed);
    expect(second.get('/x/1')).toBeUndefined();
    expect(second.get('/x/3')).toBe('s3');
    expect(second.getMeta('chain_id')).toBe('ain-test');
    expect(second.getMeta('params')).toBeUndefined();
    expect(verifyProof(second.appHash, '/x/4', 4, second.prove('/x/4'))).toBe(true);
  });

  it('treats the path as a directory even when its name has a dot', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const path = join(dir, 'app.lmdb');
    const first = openCommittedState(path);
    commitWrites(first, { '/a': 1 }, 1n);
    await first.close();
    expect(statSync(path).isDirectory()).toBe(true);
    const second = openCommittedState(path);
    cleanups.push(() => second.close());
    expect(second.get('/a')).toBe(1);
  });

  it('works with background flushing', () => {
    const { state } = fresh({ durability: 'committed' });
    commitWrites(state, { '/a': 1 }, 1n);
    expect(state.get('/a')).toBe(1);
  });

  it('commits asynchronously: visible at once, pipelined, durable when the promise resolves', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const state = openCommittedState(dir);
    const model = new Map<string, StateValue>();
    const next = rng(8);
    const promises: Array<Promise<void>> = [];
    for (let h = 1n; h <= 6n; h++) {
      const writes = new Map<string, StateWrite>();
      for (let i = 0; i < 150; i++) writes.set(`/k/${Math.floor(next() * 300)}`, next() < 0.2 ? null : randomValue(next));
      const block = state.prepare(writes);
      const rival = state.prepare(new Map([['/rival', 1]]));
      promises.push(state.commitAsync(block, h, new Map([['h', String(h)]])));
      expectError(() => state.commitAsync(rival, h + 1n), ErrStalePrepared);
      for (const [p, v] of writes) {
        if (v === null) model.delete(p);
        else model.set(p, v);
      }
      // The store reflects the block before it is on disk: values, lists, meta, root, proofs.
      expect(state.height).toBe(h);
      expect(toHex(state.appHash)).toBe(toHex(block.appHash));
      expect(toHex(state.appHash)).toBe(rootOf(model));
      expect(new Map(state.list('/k', Infinity))).toEqual(model);
      expect(state.list('/k', 5)).toEqual([...model].sort(([a], [b]) => comparePaths(a, b)).slice(0, 5));
      expect(state.getMeta('h')).toBe(String(h));
      const [path, value] = [...model][0]!;
      expect(state.get(path)).toBe(value);
      expect(verifyProof(state.appHash, path, value, state.prove(path))).toBe(true);
      expect(verifyProof(state.appHash, '/k/missing', undefined, state.prove('/k/missing'))).toBe(true);
    }
    expect(() => state.commit(state.prepare(new Map([['/x', 1]])), 7n)).toThrow(/in flight/);
    await Promise.all(promises);
    await state.flushed();
    expect(state.durableHeight).toBe(6n);
    expect(new Map(state.list('/k', Infinity))).toEqual(model);
    commitWrites(state, { '/x': 1 }, 7n); // synchronous again once nothing is in flight
    const appHash = toHex(state.appHash);
    await state.close();
    const reopened = openCommittedState(dir);
    cleanups.push(() => reopened.close());
    expect(reopened.height).toBe(7n);
    expect(toHex(reopened.appHash)).toBe(appHash);
    expect(reopened.getMeta('h')).toBe('6');
    model.set('/x', 1);
    expect(new Map(reopened.list('/', Infinity))).toEqual(model);
  });

  it('survives kill -9 during commits with a consistent block', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const child = fileURLToPath(new URL('./crashChild.fixture.ts', import.meta.url));
    const next = rng(99);
    let lastSeen = 0n;
    for (let round = 0; round < 4; round++) {
      const mode = round % 2 === 0 ? 'sync' : 'async';
      const proc = spawn(process.execPath, ['--import', 'tsx', child, dir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
      let reported = 0n;
      let buffered = '';
      let stderr = '';
      proc.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
      const target = lastSeen + 3n;
      await new Promise<void>((resolve, reject) => {
        proc.on('error', reject);
        proc.on('exit', () => resolve());
        proc.stdout.on('data', (chunk: Buffer) => {
          buffered += chunk.toString();
          const lines = buffered.split('\n');
          buffered = lines.pop()!;
          for (const line of lines) if (BigInt(line) > reported) reported = BigInt(line);
          if (reported >= target && !proc.killed) setTimeout(() => proc.kill('SIGKILL'), Math.floor(next() * 25));
        });
      });
      expect(reported, `child (${mode}) stopped early: ${stderr}`).toBeGreaterThanOrEqual(target);
      const state = openCommittedState(dir); // verifies the stored app hash is the trie root
      const h = state.height;
      expect(h).toBeGreaterThanOrEqual(reported);
      expect(state.get('/height')).toBe(Number(h));
      expect(state.getMeta('last')).toBe(String(h));
      expect(new Set(state.list('/counter', Infinity).map(([, v]) => v))).toEqual(new Set([Number(h)]));
      expect(state.list(`/blocks/${h}`, Infinity)).toHaveLength(300);
      expect(state.list(`/blocks/${h + 1n}`, Infinity)).toHaveLength(0);
      expect(rootOf(state.list('/', Infinity))).toBe(toHex(state.appHash));
      // The block's undo records went in with it: the previous height reads back whole.
      if (h - 1n >= state.oldestHeight && h > 1n) {
        expect(state.getAt('/height', h - 1n)).toBe(Number(h - 1n));
        expect(state.listAt(`/blocks/${h}`, Infinity, h - 1n)).toHaveLength(0);
        expect(new Set(state.listAt('/counter', Infinity, h - 1n).map(([, v]) => v))).toEqual(new Set([Number(h - 1n)]));
        expect(rootOf(state.listAt('/', Infinity, h - 1n))).toBe(toHex(state.appHashAt(h - 1n)));
      }
      lastSeen = h;
      await state.close();
    }
  }, 60_000);
});
