import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../../common/index.ts';
import { type GovQueryFlags, PROPOSAL_STATUSES, queryGov } from './handler.ts';

const PROPOSAL_ID = ['<proposal_id>', 'proposal id'] as const;
const SPECS: ReadonlyArray<readonly [string, string, ReadonlyArray<readonly [string, string]>]> = [
  ['proposal', 'One proposal', [PROPOSAL_ID]],
  ['proposals', 'Proposals (filtered by --status, --voter, --depositor)', []],
  ['votes', "A proposal's votes (removed once it is tallied)", [PROPOSAL_ID]],
  ['vote', "One voter's vote", [PROPOSAL_ID, ['<voter>', 'voter address, ain1...']]],
  ['deposits', "A proposal's deposits (removed once refunded or burned)", [PROPOSAL_ID]],
  ['tally', 'The tally: the final one once voting ended, else the votes so far', [PROPOSAL_ID]],
  ['params', 'Gov params', []],
  ['constitution', "The chain's constitution (genesis gov.constitution)", []],
];

/**
 * `aind query gov proposal|proposals|votes|vote|deposits|tally|params|constitution`.
 * @example aind query gov proposals --status voting_period
 */
export function govQueryCommand(): Command {
  const command = new Command('gov').description('Governance queries: proposals, votes, deposits, tally, params');
  for (const [what, text, args] of SPECS) {
    const sub = command.command(what).description(text);
    for (const [arg, help] of args) sub.argument(arg, help);
    if (what === 'proposals')
      sub
        .option('--status <status>', `only proposals in ${PROPOSAL_STATUSES.join(', ')}`)
        .option('--voter <address>', 'only proposals this address voted on')
        .option('--depositor <address>', 'only proposals this address deposited on');
    sub
      .addOption(nodeOption())
      .addOption(outputOption('json'))
      .action(async (...params: unknown[]) => {
        const flags = params[args.length] as GovQueryFlags & { node: string; output: OutputFormat };
        printResult(await queryGov(flags.node, what, params.slice(0, args.length) as string[], flags), flags.output);
      });
  }
  return command;
}
