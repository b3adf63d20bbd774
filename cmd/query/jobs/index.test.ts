/** `aind query jobs ...` in process and without a node: the command tree and a local refusal. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliProgram, runCli } from '../../common/index.ts';
import { queryCommand } from '../index.ts';

describe('aind query jobs', () => {
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
    await runCli(cliProgram(queryCommand()), ['node', 'aind', ...args]);
    vi.restoreAllMocks();
    return { printed: output.join(''), code: process.exitCode };
  };
  afterEach(() => {
    process.exitCode = undefined;
  });

  it('lists the job market queries', async () => {
    const query = await run('query', 'jobs', '--help');
    for (const command of ['job', 'request', 'requests', 'node', 'stats', 'params']) expect(query.printed).toContain(`  ${command} `);
  });

  it('refuses a bad id in a query before contacting the node', async () => {
    const { printed, code } = await run('query', 'jobs', 'request', 'seven', '--node', 'tcp://127.0.0.1:1');
    expect(printed).toMatch(/^Error: REQUEST_ID "seven" must be a positive integer: invalid request \[sdk\/18\]\n$/);
    expect(code).toBe(1);
  });
});
