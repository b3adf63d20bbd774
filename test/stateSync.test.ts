/**
 * End-to-end state sync on real processes: a 4-validator localnet with short blocks takes a snapshot
 * every 20 heights (1 KiB chunks, so a snapshot has about 14; 20 kept, so one lasts through a join);
 * the chunk files of validators 2 and 3 are corrupted on disk as soon as they appear; a fifth node
 * joins by CometBFT state sync (trusting node 0's latest block), rejects every corrupt chunk (RETRY,
 * the sender rejected) and gets it again from node 0 or 1, restores the snapshot, fetches only the
 * blocks after it and agrees on the app hash.
 *
 * Two honest validators, and a join just after a snapshot, because CometBFT takes the newest snapshot
 * any peer lists: had only corrupt peers listed it (a snapshot made while the peers answered), every
 * one would be rejected and CometBFT waits two minutes for peers before it tries another (CI saw that
 * with three corrupt validators and a snapshot every 10 heights).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cometRpc } from '../client/index.ts';
import { createLocalnet, type Localnet, startLocalnet } from '../localnet/index.ts';

const KEEP = process.env.AIN_TEST_KEEP_HOME === '1';
const INTERVAL = 20;
/** The validators whose snapshot chunks are corrupted. */
const CORRUPT = [2, 3];
let dir: string;
let net: Localnet | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ain-statesync-'));
  await createLocalnet({
    dir,
    validators: 4,
    chainId: 'ain-statesync-test',
    timeoutCommit: '100ms',
    snapshots: { interval: INTERVAL, chunkSize: 1024, keepRecent: 20 },
  });
  net = await startLocalnet({ dir });
}, 180_000);

afterAll(async () => {
  await net?.stop();
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
});

/** Flips the last byte of every chunk file of the CORRUPT nodes not corrupted yet; returns how many it corrupted. */
function corruptChunks(done: Set<string>): number {
  let count = 0;
  for (const i of CORRUPT) {
    const snapshots = join(dir, `node${i}`, 'data', 'snapshots');
    if (!existsSync(snapshots)) continue;
    for (const height of readdirSync(snapshots).filter((name) => /^\d+$/.test(name))) {
      for (const file of readdirSync(join(snapshots, height)).filter((name) => name.startsWith('chunk-'))) {
        const path = join(snapshots, height, file);
        if (done.has(path)) continue;
        const bytes = readFileSync(path);
        bytes[bytes.length - 1]! ^= 0xff;
        writeFileSync(path, bytes);
        done.add(path);
        count++;
      }
    }
  }
  return count;
}

async function appHashAt(rpcUrl: string, height: number): Promise<string> {
  const block = (await cometRpc(rpcUrl, 'block', { height: String(height) })) as { block: { header: { app_hash: string } } };
  return block.block.header.app_hash;
}

describe('state sync', () => {
  it('joins a fifth node from the validators snapshots, refetching corrupt chunks, to the same app hash', async () => {
    // Just after the first snapshot: the next is INTERVAL - 2 blocks away, usually after the join has asked its peers.
    await net!.waitForHeight(INTERVAL + 2, { timeoutMs: 120_000 });
    const listed = readdirSync(join(dir, 'node0', 'data', 'snapshots')).filter((name) => /^\d+$/.test(name));
    expect(listed.length).toBeGreaterThanOrEqual(1);
    const corrupted = new Set<string>();
    expect(corruptChunks(corrupted)).toBeGreaterThan(1);
    const keepCorrupting = setInterval(() => corruptChunks(corrupted), 100);
    const started = Date.now();
    try {
      const added = await net!.addNode({ stateSync: true });
      await net!.waitForHeight((await net!.height(0))!, { nodes: [4], timeoutMs: 120_000 });
      const joinedMs = Date.now() - started;

      const log = net!.logTail('node4/app', 400);
      const restored = /state restored from snapshot \{"height":"(\d+)"/.exec(log);
      expect(restored, log).not.toBeNull();
      const snapshotHeight = Number(restored![1]);
      expect(snapshotHeight % INTERVAL).toBe(0);
      // Corrupt chunks came from validators 2 and 3: each was refused and fetched again.
      expect(log).toMatch(
        /snapshot chunk \{"chunk":\d+,"sender":"[0-9a-f]{40}","result":"RETRY","why":"sha256 differs from the metadata"\}/,
      );
      // It never replayed from genesis: its block store starts after the snapshot. Right after the
      // restore the store is empty (earliest 0) until consensus or block sync saves a block, and the
      // snapshot restored can be newer than node 0's height above (CI saw a join at 40 report 0).
      await net!.waitForHeight(snapshotHeight + 2, { nodes: [4], timeoutMs: 60_000 });
      const status = (await cometRpc(added.rpcUrl, 'status')) as { sync_info: { earliest_block_height: string } };
      expect(Number(status.sync_info.earliest_block_height)).toBeGreaterThan(snapshotHeight);

      const common = Math.min((await net!.height(0))!, (await net!.height(4))!);
      expect(await appHashAt(added.rpcUrl, common)).toBe(await appHashAt(net!.nodes[0]!.rpcUrl, common));
      process.stderr.write(`state sync: node4 joined at snapshot height ${snapshotHeight} in ${joinedMs} ms\n`);
    } finally {
      clearInterval(keepCorrupting);
    }
  }, 240_000);
});
