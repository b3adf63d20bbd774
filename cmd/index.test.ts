import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildProgram, commandsFor, main } from './index.ts';

/** Every command path of the program, e.g. "tx bank send". */
function commandPaths(command: Command, prefix = ''): string[] {
  return command.commands.flatMap((c) => {
    const path = `${prefix}${c.name()}`;
    return c.commands.length > 0 ? commandPaths(c, `${path} `) : [path];
  });
}

let home: string;
let output: string[];
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-cli-'));
  output = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});
afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
  rmSync(home, { recursive: true, force: true });
});

describe('aind program', () => {
  it('has the simd-style command set', async () => {
    expect(commandPaths(await buildProgram()).sort()).toEqual(
      [
        'chain-info',
        'console',
        'dev',
        'executor',
        'genesis add-account',
        'genesis add-validator',
        'genesis economics',
        'genesis export',
        'genesis validate',
        'init',
        'job evaluate',
        'job run',
        'keys add',
        'keys delete',
        'keys export',
        'keys import',
        'keys list',
        'keys show',
        'localnet init',
        'localnet start',
        'localnet status',
        'localnet stop',
        'query ainft balance',
        'query channels channel',
        'query channels channels',
        'query channels contract',
        'query channels contract-claims',
        'query channels contracts',
        'tx channels accept-contract',
        'tx channels claim-misses',
        'tx channels close',
        'tx channels dispute-misses',
        'tx channels end-contract',
        'tx channels open',
        'tx channels propose-contract',
        'tx channels redeem',
        'tx channels settle-contract',
        'query committee committee',
        'query committee fund',
        'query committee params',
        'query committee proposal',
        'query committee proposals',
        'tx committee fund',
        'tx committee propose',
        'tx committee vote',
        'query ainft children',
        'query ainft class',
        'query ainft classes',
        'query ainft owner',
        'query ainft params',
        'query ainft parents',
        'query ainft provenance',
        'query ainft reruns',
        'query ainft split',
        'query ainft supply',
        'query ainft token',
        'query ainft tokens',
        'query auth account',
        'query auth module-account',
        'query auth module-accounts',
        'query authz grants',
        'query authz grants-by-grantee',
        'query authz grants-by-granter',
        'query bank balances',
        'query bank total',
        'query jobs job',
        'query jobs node',
        'query jobs params',
        'query jobs request',
        'query jobs requests',
        'query jobs stats',
        'query shards header',
        'query shards packets',
        'query shards parent',
        'query shards shard',
        'query shards shards',
        'query shards value',
        'query state eval-rule',
        'query state get',
        'query state match-rule',
        'query storage access',
        'query storage can-read',
        'query storage key',
        'query storage params',
        'query storage provider',
        'query storage providers',
        'query storage reservation',
        'query storage reservations',
        'query triggers call',
        'query triggers calls',
        'query triggers executors',
        'query tx',
        'query distribution commission',
        'query distribution community-pool',
        'query distribution rewards',
        'query slashing params',
        'query slashing signing-info',
        'query slashing signing-infos',
        'query feegrant grant',
        'query feegrant grants-by-grantee',
        'query feegrant grants-by-granter',
        'query gov constitution',
        'query gov deposits',
        'query gov params',
        'query gov proposal',
        'query gov proposals',
        'query gov tally',
        'query gov vote',
        'query gov votes',
        'query staking delegation',
        'query staking delegations',
        'query staking params',
        'query staking pool',
        'query staking redelegations',
        'query staking unbonding-delegations',
        'query staking validator',
        'query staking validators',
        'shard init',
        'shard relay',
        'start',
        'status',
        'storage access',
        'storage cancel',
        'storage get',
        'storage grant',
        'storage put',
        'storage reserve',
        'storage revoke',
        'storage share-key',
        'tx ainft approve',
        'tx ainft approve-all',
        'tx ainft burn',
        'tx ainft compose',
        'tx ainft create-class',
        'tx ainft mint',
        'tx ainft pay',
        'tx ainft rerun',
        'tx ainft revoke',
        'tx ainft set-minters',
        'tx ainft transfer',
        'tx authz exec',
        'tx authz grant',
        'tx authz revoke',
        'tx bank send',
        'tx distribution withdraw-rewards',
        'tx slashing unjail',
        'tx feegrant grant',
        'tx feegrant revoke',
        'tx gov cancel-proposal',
        'tx gov deposit',
        'tx gov submit-proposal',
        'tx gov vote',
        'tx gov weighted-vote',
        'tx staking create-validator',
        'tx staking delegate',
        'tx staking edit-validator',
        'tx staking redelegate',
        'tx staking unbond',
        'tx jobs accept',
        'tx jobs accept-result',
        'tx jobs apply',
        'tx jobs approve',
        'tx jobs challenge',
        'tx jobs drop',
        'tx jobs rank',
        'tx jobs register',
        'tx jobs request',
        'tx jobs resolve',
        'tx jobs reveal',
        'tx jobs reveal-test-data',
        'tx jobs submit',
        'tx shards branch',
        'tx shards prove',
        'tx shards recovery-proposal',
        'tx shards report',
        'tx shards transfer',
        'tx shards unfreeze',
        'tx state create-app',
        'tx state dec-value',
        'tx state delete-value',
        'tx state inc-value',
        'tx state set-function',
        'tx state set-owner',
        'tx state set-rule',
        'tx state set-value',
      ].sort(),
    );
  });

  it('runs keys add / show -a in process and reports errors as one line with exit code 1', async () => {
    await main(['node', 'aind', 'keys', 'add', 'alice', '--home', home, '--output', 'json']);
    const added = JSON.parse(output.join('')) as { address: string; mnemonic: string };
    expect(added.mnemonic.split(' ')).toHaveLength(24);
    output.length = 0;
    await main(['node', 'aind', 'keys', 'show', 'alice', '-a', '--home', home]);
    expect(output.join('')).toBe(`${added.address}\n`);
    expect(process.exitCode).toBeUndefined();

    output.length = 0;
    await main(['node', 'aind', 'keys', 'show', 'bob', '--home', home]);
    expect(output.join('')).toMatch(/^Error: no key "bob" .*\[sdk\/22\]\n$/);
    expect(process.exitCode).toBe(1);
  });

  it('mounts only the command argv names, none for --version, all for help', async () => {
    expect(commandsFor(['node', 'aind', 'q', 'bank', 'balances', 'ain1x'])).toEqual(['q']);
    expect(commandsFor(['node', 'aind', '--version'])).toEqual([]);
    expect(commandsFor(['node', 'aind', '--help'])).toBeUndefined();
    expect(commandsFor(['node', 'aind', 'nonsense'])).toBeUndefined();
    const query = await buildProgram(['q']);
    expect(query.commands.map((c) => c.name())).toEqual(['query']);
    expect((await buildProgram([])).commands).toEqual([]);
  });

  it('prints the package version for --version without mounting a command', async () => {
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package.json'), 'utf8')) as { version: string };
    await main(['node', 'aind', '--version']);
    expect(output.join('')).toBe(`${version}\n`);
    expect(process.exitCode).toBe(0);
  });
});
