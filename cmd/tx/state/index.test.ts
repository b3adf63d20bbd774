/** `aind tx state ...` argument handling, in process and without a node. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addKey } from '../../../home/index.ts';
import { cliProgram, runCli } from '../../common/index.ts';
import { txCommand } from '../index.ts';

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

/** Runs `aind` with the tx command; returns what it printed and its exit code. */
async function run(...args: string[]): Promise<{ printed: string; code: number | string | undefined }> {
  output.length = 0;
  process.exitCode = undefined;
  await runCli(cliProgram(txCommand()), ['node', 'aind', ...args]);
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
