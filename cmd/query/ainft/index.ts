/** `aind query ainft ...`: tokens, collections, owners, compositions, provenance, re-runs, splits. */
import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../../common/index.ts';
import { type AinftQuery, type AinftQueryFlags, queryAinft } from './handler.ts';

interface Flags extends AinftQueryFlags {
  node: string;
  output: OutputFormat;
}

const CLASS = ['<class_id>', 'collection id'] as const;
const ID = ['<id>', 'token id'] as const;
const SPECS: ReadonlyArray<{
  name: AinftQuery;
  description: string;
  args: ReadonlyArray<readonly [string, string]>;
  options?: ReadonlyArray<readonly [string, string]>;
}> = [
  { name: 'token', description: 'A token: owner, AINFT metadata, composition, provenance, re-run counts, earnings', args: [CLASS, ID] },
  { name: 'class', description: 'A collection: creator, minters, supply', args: [CLASS] },
  { name: 'classes', description: 'Collections by id', args: [], options: [['--start-after <class_id>', 'list after this id']] },
  {
    name: 'tokens',
    description: 'Tokens of a collection, of an owner, or both',
    args: [],
    options: [
      ['--class <class_id>', 'of this collection'],
      ['--owner <address>', 'of this owner'],
      ['--start-after <class/id>', 'list after this token'],
    ],
  },
  { name: 'owner', description: 'Who owns a token (ownerOf)', args: [CLASS, ID] },
  { name: 'balance', description: 'How many tokens of a collection an address owns', args: [['<owner>', 'ain1... address'], CLASS] },
  { name: 'supply', description: 'How many tokens a collection has', args: [CLASS] },
  { name: 'children', description: 'Every token a token is composed of, with its weights', args: [CLASS, ID] },
  { name: 'parents', description: 'Every token composing or referring to a token', args: [CLASS, ID] },
  {
    name: 'provenance',
    description: "A token's provenance chain: its job, the job's inputs and the tokens they came from",
    args: [CLASS, ID],
  },
  { name: 'reruns', description: "A token's re-runs and their outcomes", args: [CLASS, ID] },
  { name: 'split', description: 'How a payment to a token would split now', args: [CLASS, ID, ['<amount>', 'uain']] },
  { name: 'params', description: 'Composition bounds', args: [] },
];

/**
 * `aind query ainft token|class|classes|tokens|owner|balance|supply|children|parents|provenance|reruns|split|params`.
 * @example aind query ainft provenance ainchat model --output json
 */
export function ainftQueryCommand(): Command {
  const ainft = new Command('ainft').description('AINFTs: tokens, collections, compositions, provenance, re-runs');
  for (const spec of SPECS) {
    const command = ainft.command(spec.name).description(spec.description);
    for (const [name, description] of spec.args) command.argument(name, description);
    for (const [flag, description] of spec.options ?? []) command.option(flag, description);
    command
      .addOption(nodeOption())
      .addOption(outputOption())
      .action(async (...params: unknown[]) => {
        const flags = params[spec.args.length] as Flags;
        printResult(await queryAinft(flags.node, spec.name, params.slice(0, spec.args.length) as string[], flags), flags.output);
      });
  }
  return ainft;
}
