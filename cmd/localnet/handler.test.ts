/** `aind localnet`'s handler: keeping or replacing the localnet in --dir, and the table it prints. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AinError, ErrConflict, type ErrorDefinition } from '../../core/index.ts';
import { ensureCometbft } from '../../scripts/setup.mjs';
import { basePortLayout, type LocalnetManifest } from '../../localnet/index.ts';
import { ensureLocalnet, formatLocalnet } from './handler.ts';

beforeAll(() => {
  ensureCometbft({ quiet: true });
}, 300_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'aind-localnet-cli-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function expectRejects(promise: Promise<unknown>, definition: ErrorDefinition, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, 'expected a rejection').toBeDefined();
  expect((error as AinError).is(definition), String(error)).toBe(true);
  expect((error as Error).message).toMatch(message);
}

describe('aind localnet', () => {
  it('ensureLocalnet keeps a matching localnet, refuses another shape, and --reset replaces it', async () => {
    const net = join(dir, 'net');
    const first = await ensureLocalnet({ dir: net, validators: 1, basePort: 0 });
    expect(first.created).toBe(true);
    const again = await ensureLocalnet({ dir: net, basePort: 0 });
    expect(again).toEqual({ manifest: first.manifest, created: false });
    await expectRejects(
      ensureLocalnet({ dir: net, validators: 2, basePort: 0 }),
      ErrConflict,
      /holds a localnet of 1 validators, not 2; pass --reset/,
    );
    await expectRejects(ensureLocalnet({ dir: net, basePort: 0, docker: true }), ErrConflict, /for loopback/);
    const reset = await ensureLocalnet({ dir: net, validators: 2, basePort: 0, reset: true });
    expect(reset.created).toBe(true);
    expect(reset.manifest.nodes).toHaveLength(2);
    expect(reset.manifest.faucet.address).not.toBe(first.manifest.faucet.address);
  });

  it('formatLocalnet prints a row per node with its role and URLs', () => {
    const manifest: LocalnetManifest = {
      version: 1,
      chainId: 'ain-ln-7',
      docker: false,
      timeoutCommit: '700ms',
      basePort: 30000,
      nodes: [0, 1, 2].map((i) => ({
        name: `node${i}`,
        validator: true,
        nodeId: `${i}`.repeat(40),
        host: '127.0.0.1',
        ports: basePortLayout(30000, i),
        account: `ain1account${i}`,
      })),
      storage: { host: '127.0.0.1', port: 30000 },
      executor: { address: 'ain1executor', node: 'node0' },
      faucet: { address: 'ain1faucet' },
    };
    const text = formatLocalnet(dir, manifest);
    expect(text).toContain('node2  validator  http://127.0.0.1:30027');
    expect(text).toContain('AIN localnet in');
    expect(text).toContain('storage   http://127.0.0.1:30000');
  });
});
