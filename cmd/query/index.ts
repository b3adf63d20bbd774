import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../common/index.ts';
import { queryAccount, queryBalances, queryModuleAccounts, queryTotalSupply, queryTx } from './handler.ts';
import { stateQueryCommand } from './state/index.ts';
import { triggersQueryCommand } from './triggers/index.ts';
import { jobsQueryCommand } from './jobs/index.ts';
import { ainftQueryCommand } from './ainft/index.ts';
import { shardsQueryCommand } from './shards/index.ts';
import { channelsQueryCommand } from './channels/index.ts';
import { storageQueryCommand } from './storage/index.ts';
import { committeeQueryCommand } from './committee/index.ts';
import { govQueryCommand } from './gov/index.ts';
import { authzQueryCommand } from './authz/index.ts';
import { feegrantQueryCommand } from './feegrant/index.ts';
import { distributionQueryCommand, slashingQueryCommand, stakingQueryCommand } from './staking/index.ts';

interface QueryFlags {
  node: string;
  output: OutputFormat;
}

/**
 * `aind query bank balances|total`, `aind query auth account|module-accounts|module-account`, `aind query tx` (alias `q`).
 * @example aind query bank balances ain1... --output json
 */
export function queryCommand(): Command {
  const query = new Command('query').alias('q').description('Query the chain');

  const bank = query.command('bank').description('Bank queries');
  withFlags(bank.command('balances').description('All balances of an account').argument('<address>', 'ain1... address')).action(
    async (address: string, flags: QueryFlags) => printResult(await queryBalances(flags.node, address), flags.output),
  );
  withFlags(bank.command('total').description('Total supply of every denom')).action(async (flags: QueryFlags) =>
    printResult(await queryTotalSupply(flags.node), flags.output),
  );

  const auth = query.command('auth').description('Auth queries');
  withFlags(
    auth.command('account').description('An account: number, sequence, public key').argument('<address>', 'ain1... address'),
  ).action(async (address: string, flags: QueryFlags) => printResult(await queryAccount(flags.node, address), flags.output));
  withFlags(auth.command('module-accounts').description("Every module's account (name, address, number)")).action(
    async (flags: QueryFlags) => printResult(await queryModuleAccounts(flags.node), flags.output),
  );
  withFlags(
    auth
      .command('module-account')
      .description("A module's account by name (gov: the gov authority)")
      .argument('<name>', 'module account name'),
  ).action(async (name: string, flags: QueryFlags) => printResult(await queryModuleAccounts(flags.node, name), flags.output));

  withFlags(query.command('tx').description('A committed transaction by hash').argument('<hash>', 'tx hash (hex)')).action(
    async (hash: string, flags: QueryFlags) => printResult(await queryTx(flags.node, hash), flags.output),
  );

  query.addCommand(stateQueryCommand());
  query.addCommand(triggersQueryCommand());
  query.addCommand(jobsQueryCommand());
  query.addCommand(ainftQueryCommand());
  query.addCommand(shardsQueryCommand());
  query.addCommand(channelsQueryCommand());
  query.addCommand(storageQueryCommand());
  query.addCommand(feegrantQueryCommand());
  query.addCommand(stakingQueryCommand());
  query.addCommand(distributionQueryCommand());
  query.addCommand(slashingQueryCommand());
  query.addCommand(govQueryCommand());
  query.addCommand(committeeQueryCommand());
  query.addCommand(authzQueryCommand());
  return query;
}

function withFlags(command: Command): Command {
  return command.addOption(nodeOption()).addOption(outputOption());
}
