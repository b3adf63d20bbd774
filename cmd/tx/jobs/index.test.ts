/** `aind tx jobs ...` in process and without a node: the command tree and a local refusal. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { addKey } from '../../../home/index.ts';
import { cliProgram, JOBS_TX_COMMANDS, runCli } from '../../common/index.ts';
import { txCommand } from '../index.ts';

let home: string;
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'aind-jobs-tx-cli-'));
  await addKey(home, 'alice');
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('aind tx jobs', () => {
  let output: string[];
  const run = async (...args: string[]) => {
    output = [];
    for (const stream of [process.stdout, process.stderr]) {
      vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        output.push(String(chunk));
        return true;
      });
    }
    process.exitCode = undefined;
    await runCli(cliProgram(txCommand()), ['node', 'aind', ...args]);
    vi.restoreAllMocks();
    return { printed: output.join(''), code: process.exitCode };
  };
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('lists the job market commands', async () => {
    const tx = await run('tx', 'jobs', '--help');
    for (const command of JOBS_TX_COMMANDS) expect(tx.printed).toContain(`  ${command} `);
  });

  it('refuses a submit without a salt with sdk/18 before contacting the node', async () => {
    const { printed, code } = await run(
      'tx',
      'jobs',
      'submit',
      '7',
      '{"x":2}',
      '--from',
      'alice',
      '--home',
      home,
      '--node',
      'tcp://127.0.0.1:1',
    );
    expect(printed).toMatch(/^Error: --salt must be 16-64 bytes of lowercase hex .*\[sdk\/18\]\n$/);
    expect(code).toBe(1);
  });
});
