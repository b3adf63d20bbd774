import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../../common/index.ts';
import { type CommitteeQuery, type CommitteeQueryFlags, queryCommittee } from './handler.ts';

const SPECS: ReadonlyArray<readonly [CommitteeQuery, string, ReadonlyArray<readonly [string, string]>]> = [
  ['committee', 'The members with their weights and the threshold', []],
  ['proposal', 'One committee proposal with its votes', [['<proposal_id>', 'proposal id']]],
  ['proposals', 'Committee proposals in id order (paged with --limit and --page-key)', []],
  ['fund', "The developer fund's address and balances", []],
  ['params', 'Committee params', []],
];

/**
 * `aind query committee committee|proposal|proposals|fund|params`.
 * @example aind query committee proposals --limit 10
 */
export function committeeQueryCommand(): Command {
  const command = new Command('committee').description('Developer committee queries: members, proposals, fund, params');
  for (const [what, text, args] of SPECS) {
    const sub = command.command(what).description(text);
    for (const [arg, help] of args) sub.argument(arg, help);
    if (what === 'proposals')
      sub
        .option('--limit <n>', 'proposals per page (default 100)')
        .option('--page-key <key>', 'next_key of the previous page (base64)')
        .option('--reverse', 'newest first');
    sub
      .addOption(nodeOption())
      .addOption(outputOption('json'))
      .action(async (...params: unknown[]) => {
        const flags = params[args.length] as CommitteeQueryFlags & { node: string; output: OutputFormat };
        printResult(await queryCommittee(flags.node, what, params.slice(0, args.length) as string[], flags), flags.output);
      });
  }
  return command;
}
