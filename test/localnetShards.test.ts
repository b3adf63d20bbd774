/**
 * End-to-end: `aind localnet start --shards 2`'s implementation: a one-validator localnet with two
 * child chains branched off it on its first start (`/apps/shard1`, `/apps/shard2`), each one node and
 * a relayer process; reports flow both ways on both links, `aind localnet status` shows each chain's
 * height and the height the other side last reported, and stop() leaves no process behind.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addShards, createLocalnet, groupAlive, type Localnet, shardStatuses, startLocalnet } from '../localnet/index.ts';
import { formatLocalnet } from '../cmd/localnet/handler.ts';
import { runAind } from './helpers/cli.ts';
import { until } from './helpers/poll.ts';

const KEEP = process.env.AIN_TEST_KEEP_HOME === '1';
let dir: string;
let net: Localnet | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ain-localnet-shards-'));
  const manifest = await createLocalnet({ dir, validators: 1, chainId: 'ain-sharded-1', timeoutCommit: '500ms' });
  await addShards(dir, 2, manifest.chainId);
  net = await startLocalnet({ dir });
}, 240_000);

afterAll(async () => {
  await net?.stop();
  if (!KEEP) rmSync(dir, { recursive: true, force: true });
});

describe('a localnet with two child chains', () => {
  it('runs each child with its relayer; reports flow both ways on both links', async () => {
    const statuses = await until(
      'three reports each way on both links',
      async () => {
        const all = await shardStatuses(dir, net!.rpcUrls[0]!);
        return all.every((s) => (s.reportedOnParent ?? 0) >= 3 && (s.parentReportedHere ?? 0) >= 3) ? all : undefined;
      },
      90_000,
    );
    expect(statuses.map((s) => s.chainId)).toEqual(['ain-sharded-shard1-1', 'ain-sharded-shard2-1']);
    for (const s of statuses) expect(s.height!).toBeGreaterThanOrEqual(s.reportedOnParent!);
    expect(
      net!
        .processes()
        .filter((p) => p.running && p.name.startsWith('shard'))
        .map((p) => p.name)
        .sort(),
    ).toEqual(['shard1/app', 'shard1/comet', 'shard1/relayer', 'shard2/app', 'shard2/comet', 'shard2/relayer']);
  });

  it('`aind localnet status` shows each chain height and its last reported height', async () => {
    const status = await runAind('localnet', 'status', '--dir', dir, '--output', 'json');
    expect(status.code, status.stderr).toBe(0);
    const json = JSON.parse(status.stdout) as { shards: Array<{ name: string; height: number; reportedOnParent: number }> };
    expect(json.shards.map((s) => s.name)).toEqual(['shard1', 'shard2']);
    for (const s of json.shards) expect(s.reportedOnParent).toBeGreaterThan(0);
    const text = await runAind('localnet', 'status', '--dir', dir);
    expect(text.stdout).toMatch(/shard1\s+ain-sharded-shard1-1\s+http:\/\/127\.0\.0\.1:\d+\s+\d+\s+\d+\s+\d+\s+running/);
    // What `aind localnet start` prints once it runs: the children too.
    const summary = formatLocalnet(dir, net!.manifest);
    for (const name of ['shard1', 'shard2'])
      expect(summary).toMatch(
        new RegExp(`shard {5}${name}: chain ain-sharded-${name}-1, RPC http://127\\.0\\.0\\.1:\\d+, home \\S+/${name}, relayer key "`),
      );
  });

  it('stop() leaves no process of the localnet or its children running', async () => {
    const processes = net!.processes().filter((p) => p.running);
    await net!.stop();
    for (const p of processes) expect(groupAlive(p.pid), p.name).toBe(false);
  });
});
