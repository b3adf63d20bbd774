/**
 * The compiled `aind` CLI starts fast: `aind --version` and a query against a real node, timed as new
 * processes the way a user runs them, as a ratio to `node -e 0` on the same machine in the same
 * minute (medians of interleaved runs), so a busy machine slows both sides and does not fail it.
 * Issue 16 asks for <= 0.3 s and <= 0.6 s where `node -e 0` takes about 0.04-0.06 s; the bounds
 * below are those targets over a 0.06 s baseline. Also: the build follows the sources (a changed
 * source makes the next run rebuild first).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_MANIFEST, cliBuildState, ensureCliBuild } from '../scripts/buildCli.mjs';
import { AIND_SCRIPT, REPO_ROOT } from '../home/index.ts';
import { startTestNode, type TestNode } from './helpers/node.ts';

const RUNS = 7;
/** 0.3 s and 0.6 s over a 0.06 s `node -e 0`. */
const MAX_VERSION_RATIO = 5;
const MAX_QUERY_RATIO = 10;

/** Wall-clock seconds of one run of `node ARGS...`, failing on a non-zero exit. */
function timeRun(args: readonly string[]): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return seconds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Medians of `node -e 0` and of `aind ARGS...`, runs interleaved. */
function measure(args: readonly string[]): { baseline: number; aind: number; ratio: number } {
  const baseline: number[] = [];
  const aind: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    baseline.push(timeRun(['-e', '0']));
    aind.push(timeRun([AIND_SCRIPT, ...args]));
  }
  const result = { baseline: median(baseline), aind: median(aind), ratio: median(aind) / median(baseline) };
  console.log(`aind ${args[0]}: ${result.aind.toFixed(3)} s, node -e 0: ${result.baseline.toFixed(3)} s, ratio ${result.ratio.toFixed(1)}`);
  return result;
}

let node: TestNode;
beforeAll(async () => {
  await ensureCliBuild({ quiet: true });
  node = await startTestNode({ accounts: 1 });
});
afterAll(async () => {
  await node?.stop();
});

describe('the compiled aind CLI', () => {
  it('prints its version within 5x the time of node -e 0', () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(execFileSync(process.execPath, [AIND_SCRIPT, '--version'], { encoding: 'utf8' })).toBe(`${version}\n`);
    expect(measure(['--version']).ratio).toBeLessThanOrEqual(MAX_VERSION_RATIO);
  });

  it('answers a balance query on a real node within 10x the time of node -e 0', () => {
    const address = node.accounts[0]!.address;
    const args = ['query', 'bank', 'balances', address, '--node', node.rpcUrl, '--output', 'json'];
    const answer = JSON.parse(execFileSync(process.execPath, [AIND_SCRIPT, ...args], { encoding: 'utf8' })) as {
      balances: { denom: string; amount: string }[];
    };
    expect(answer.balances).toContainEqual({ denom: 'uain', amount: '1000000000000' });
    expect(measure(args).ratio).toBeLessThanOrEqual(MAX_QUERY_RATIO);
  });

  it('uses the same build from any working directory', () => {
    const dir = () => (JSON.parse(readFileSync(CLI_MANIFEST, 'utf8')) as { dir: string }).dir;
    expect(cliBuildState().fresh).toBe(true);
    const before = dir();
    execFileSync(process.execPath, [AIND_SCRIPT, '--version'], { cwd: tmpdir(), encoding: 'utf8' });
    expect(dir()).toBe(before);
  });

  it('rebuilds when a source changes, so a stale build never runs', async () => {
    // A new mtime on a source the CLI bundles (the content stays: other work shares this tree).
    const source = join(REPO_ROOT, 'cmd', 'status', 'index.ts');
    const { atime, mtime } = statSync(source);
    try {
      utimesSync(source, atime, new Date(mtime.getTime() + 1000));
      expect(cliBuildState()).toEqual({ fresh: false, reason: 'cmd/status/index.ts changed' });
      const dir = () => (JSON.parse(readFileSync(CLI_MANIFEST, 'utf8')) as { dir: string }).dir;
      const before = dir();
      execFileSync(process.execPath, [AIND_SCRIPT, '--version'], { encoding: 'utf8' });
      expect(cliBuildState().fresh).toBe(true);
      expect(dir()).not.toBe(before);
    } finally {
      utimesSync(source, atime, mtime);
      // Fresh again for whatever runs aind next.
      await ensureCliBuild({ quiet: true });
    }
  });
});
