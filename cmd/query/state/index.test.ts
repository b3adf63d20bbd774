/** `aind query state ...` argument handling, in process and without a node. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { addKey } from '../../../home/index.ts';
import { cliProgram, runCli } from '../../common/index.ts';
import { queryCommand } from '../index.ts';

let home: string;
let output: string[];
beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'aind-query-state-args-'));
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

/** Runs `aind` with the query command; returns what it printed and its exit code. */
async function run(...args: string[]): Promise<{ printed: string; code: number | string | undefined }> {
  output.length = 0;
  process.exitCode = undefined;
  await runCli(cliProgram(queryCommand()), ['node', 'aind', ...args]);
  return { printed: output.join(''), code: process.exitCode };
}

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
