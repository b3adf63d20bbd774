/**
 * `aind query channels ...` in process and without a node: the command tree, `contract-claims` with
 * its paging flags, and its refusals before the node is contacted. Its answers over a real app are in
 * test/app/contractClaims.app.test.ts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cliProgram, runCli } from '../../common/index.ts';
import { queryCommand } from '../index.ts';

describe('aind query channels', () => {
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

  it('lists contract-claims with the paging flags', async () => {
    const query = await run('query', 'channels', '--help');
    for (const command of ['channel', 'channels', 'contract', 'contract-claims', 'contracts'])
      expect(query.printed).toContain(`  ${command} `);
    const claims = await run('query', 'channels', 'contract-claims', '--help');
    expect(claims.printed).toContain('contract-claims [options] <contract_id>');
    for (const flag of ['--page-key <key>', '--limit <n>', '--reverse', '--count-total', '--node <url>'])
      expect(claims.printed).toContain(flag);
  });

  it('refuses a bad id, limit or page key before contacting the node', async () => {
    const dead = ['--node', 'tcp://127.0.0.1:1'];
    const refusals: Array<[string[], string]> = [
      [['seven'], 'CONTRACT_ID "seven" must be a decimal id'],
      [['1', '--limit', '0'], '--limit "0" must be an integer from 1 to 1000'],
      [['1', '--limit', '1001'], '--limit "1001" must be an integer from 1 to 1000'],
      [['1', '--page-key', '5'], '--page-key "5" must be a next_key as printed (base64)'],
    ];
    for (const [args, message] of refusals) {
      const { printed, code } = await run('query', 'channels', 'contract-claims', ...args, ...dead);
      expect(printed).toBe(`Error: ${message}: invalid request [sdk/18]\n`);
      expect(code).toBe(1);
    }
    // Well-formed, it goes on to the node (none there).
    const reached = await run(
      'query',
      'channels',
      'contract-claims',
      '1',
      '--page-key',
      'MTAwMQ==',
      '--limit',
      '1000',
      '--reverse',
      ...dead,
    );
    expect(reached.printed).toMatch(/cannot reach the node at http:\/\/127\.0\.0\.1:1/);
  });
});
