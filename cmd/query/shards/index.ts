/** `aind query shards ...`: child chains, their links and reported headers, proven values, packets. */
import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../../common/index.ts';
import { queryShardsCommand, type ShardsQuery } from './handler.ts';

const SHARD = ['<shard>', "a child's name; `parent` on a child"] as const;
const SPECS: ReadonlyArray<{ name: ShardsQuery; description: string; args: ReadonlyArray<readonly [string, string]> }> = [
  { name: 'shards', description: 'Every child chain with its latest reported header, escrow and freeze', args: [] },
  { name: 'shard', description: "A child chain's registration and link", args: [['<name>', 'shard name']] },
  { name: 'parent', description: "On a child: its parent and the parent's latest reported header", args: [] },
  {
    name: 'header',
    description: 'A reported header of the other chain (height 0 or none: the latest)',
    args: [SHARD, ['[height]', 'height']],
  },
  {
    name: 'value',
    description: "A value of the other chain's state proven here, with its height",
    args: [SHARD, ['<path>', 'state path']],
  },
  { name: 'packets', description: 'Transfers sent on a link and not settled yet', args: [SHARD] },
];

/** @example aind query shards shard chat --output json */
export function shardsQueryCommand(): Command {
  const shards = new Command('shards').description('Child chains: links, reported headers, proven values, packets');
  for (const spec of SPECS) {
    const command = shards.command(spec.name).description(spec.description);
    for (const [name, description] of spec.args) command.argument(name, description);
    command
      .addOption(nodeOption())
      .addOption(outputOption())
      .action(async (...params: unknown[]) => {
        const flags = params[spec.args.length] as { node: string; output: OutputFormat };
        const args = (params.slice(0, spec.args.length) as Array<string | undefined>).map((a) => a ?? '');
        printResult(await queryShardsCommand(flags.node, spec.name, args), flags.output);
      });
  }
  return shards;
}
