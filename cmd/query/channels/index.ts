/** `aind query channels channel|channels|contract|contract-claims|contracts`: payment channels and service contracts. */
import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../../common/index.ts';
import { type ChannelsQuery, type ChannelsQueryFlags, queryChannelsCommand } from './handler.ts';

const SPECS: ReadonlyArray<{
  name: ChannelsQuery;
  description: string;
  args: ReadonlyArray<readonly [string, string]>;
  options: ReadonlyArray<readonly [string, string]>;
}> = [
  {
    name: 'channel',
    description: 'A payment channel: payer, executor, deposit, redeemed, nonce, expiry, status',
    args: [['<channel_id>', 'id']],
    options: [],
  },
  {
    name: 'channels',
    description: "A payer's or an executor's channels",
    args: [],
    options: [
      ['--payer <address>', 'the payer'],
      ['--executor <address>', 'the executor'],
    ],
  },
  {
    name: 'contract',
    description: 'A service contract with its claimed misses (the lowest 1000 seqs; contract-claims lists them all)',
    args: [['<contract_id>', 'id']],
    options: [],
  },
  {
    name: 'contract-claims',
    description: "A contract's claimed misses in seq order, one page (follow next_key with --page-key)",
    args: [['<contract_id>', 'id']],
    options: [
      ['--page-key <key>', 'next_key of the previous page (base64)'],
      ['--limit <n>', 'claims per page (1-1000, default 100)'],
      ['--reverse', 'highest seqs first'],
      ['--count-total', "count the contract's claims (pagination.total)"],
    ],
  },
  {
    name: 'contracts',
    description: "A client's or an executor's contracts",
    args: [],
    options: [
      ['--client <address>', 'the client'],
      ['--executor <address>', 'the executor'],
    ],
  },
];

/**
 * @example aind query channels contract 1 --output json
 * @example aind query channels contract-claims 1 --limit 1000 --page-key MTAwMQ== --output json
 */
export function channelsQueryCommand(): Command {
  const channels = new Command('channels').description('Payment channels and service contracts');
  for (const spec of SPECS) {
    const command = channels.command(spec.name).description(spec.description);
    for (const [name, description] of spec.args) command.argument(name, description);
    for (const [flag, description] of spec.options) command.option(flag, description);
    command
      .addOption(nodeOption())
      .addOption(outputOption())
      .action(async (...params: unknown[]) => {
        const flags = params[spec.args.length] as ChannelsQueryFlags & { node: string; output: OutputFormat };
        const args = params.slice(0, spec.args.length) as string[];
        printResult(await queryChannelsCommand(flags.node, spec.name, args, flags), flags.output);
      });
  }
  return channels;
}
