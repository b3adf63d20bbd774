/** `aind tx state ...` and `aind query state ...` argument handling, in process and without a node. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addKey } from '../../../home/keyring.ts';
import { main } from '../../index.ts';

let home: string;
let output: string[];
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'aind-state-args-'));
  await addKey(home, 'alice');
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  rmSync(home, { recursive: true, force: true });
});

/** Runs the CLI; returns what it printed and its exit code. */
async function run(...args: string[]): Promise<{ printed: string; code: number | string | undefined }> {
  output.length = 0;
  process.exitCode = undefined;
  await main(['node', 'aind', ...args]);
  return { printed: output.join(''), code: process.exitCode };
}

describe('aind tx state', () => {
  it('refuses invalid JSON with sdk/18 before contacting the node', async () => {
    const { printed, code } = await run(
      'tx',
      'state',
      'set-value',
      '/apps/a/x',
      'hello',
      '--from',
      'alice',
      '--home',
      home,
      '--node',
      'tcp://127.0.0.1:1',
    );
    expect(printed).toMatch(/^Error: VALUE is not valid JSON .*\[sdk\/18\]\n$/);
    expect(code).toBe(1);
  });

  it('requires --from', async () => {
    const { printed, code } = await run('tx', 'state', 'delete-value', '/apps/a/x', '--home', home);
    expect(printed).toMatch(/required option '--from <key_or_address>' not specified/);
    expect(code).toBe(1);
  });

  it('resolves --admins key names and says which is missing', async () => {
    const { printed, code } = await run(
      'tx',
      'state',
      'create-app',
      'chat',
      '--admins',
      'alice,bob',
      '--public',
      '--from',
      'alice',
      '--home',
      home,
    );
    expect(printed).toMatch(/^Error: no key "bob" .*\[sdk\/22\]\n$/);
    expect(code).toBe(1);
  });

  it('names the node it cannot reach', async () => {
    const { printed, code } = await run(
      'tx',
      'state',
      'inc-value',
      '/apps/a/n',
      '1',
      '--from',
      'alice',
      '--home',
      home,
      '--node',
      'tcp://127.0.0.1:1',
    );
    expect(printed).toMatch(/^Error: cannot reach the node at http:\/\/127\.0\.0\.1:1 .*\[sdk\/39\]\n$/);
    expect(code).toBe(1);
  });
});

describe('aind query state', () => {
  it('refuses conflicting get flags and bad heights with sdk/18', async () => {
    expect((await run('query', 'state', 'get', '/apps/a', '--rule', '--owner')).printed).toMatch(
      /^Error: give at most one of .*\[sdk\/18\]\n$/,
    );
    expect((await run('query', 'state', 'get', '/apps/a', '--proof', '--shallow')).printed).toMatch(/--shallow/);
    expect((await run('query', 'state', 'match-rule', '/apps/a', '--height', 'x')).printed).toMatch(
      /--height "x" must be a positive integer/,
    );
  });

  it('requires --from for eval-rule and checks VALUE is JSON', async () => {
    expect((await run('query', 'state', 'eval-rule', '/apps/a/x', '1')).printed).toMatch(/required option '--from/);
    const { printed, code } = await run('query', 'state', 'eval-rule', '/apps/a/x', '{nope', '--from', 'alice', '--home', home);
    expect(printed).toMatch(/^Error: VALUE is not valid JSON/);
    expect(code).toBe(1);
  });
});
