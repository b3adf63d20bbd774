import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, parseLimit, printResult } from '../../common/index.ts';
import { queryTriggersCall, queryTriggersCalls, queryTriggersExecutors } from './handler.ts';

interface Flags {
  node: string;
  output: OutputFormat;
  limit: string;
}

/**
 * `aind query triggers call|calls|executors`: off-chain function calls and the executors that answer them.
 * @example aind query triggers calls --output json
 * @example aind query triggers call 7
 */
export function triggersQueryCommand(): Command {
  const triggers = new Command('triggers').description('Off-chain function calls and executors');
  withFlags(
    triggers.command('call').description('One call by id: status, caller, price, deadline, executor').argument('<id>', 'call id'),
  ).action(async (id: string, flags: Flags) => printResult(await queryTriggersCall(flags.node, id), flags.output));
  withFlags(
    triggers
      .command('calls')
      .description('Pending calls, earliest deadline first')
      .option('--limit <n>', 'at most this many (1-100)', '100'),
  ).action(async (flags: Flags) => printResult(await queryTriggersCalls(flags.node, parseLimit(flags.limit, 100)), flags.output));
  withFlags(
    triggers
      .command('executors')
      .description('Registered executors: runtimes, CPU, memory, GPUs, price')
      .option('--limit <n>', 'at most this many (1-1000)', '1000'),
  ).action(async (flags: Flags) => printResult(await queryTriggersExecutors(flags.node, parseLimit(flags.limit, 1000)), flags.output));
  return triggers;
}

function withFlags(command: Command): Command {
  return command.addOption(nodeOption()).addOption(outputOption());
}
