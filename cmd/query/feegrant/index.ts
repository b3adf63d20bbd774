import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../../common/index.ts';
import { queryFeegrant } from './handler.ts';

const SPECS: ReadonlyArray<readonly [string, string, ReadonlyArray<readonly [string, string]>]> = [
  [
    'grant',
    "One granter's allowance for a grantee",
    [
      ['<granter>', 'granter ain1... address'],
      ['<grantee>', 'grantee ain1... address'],
    ],
  ],
  ['grants-by-grantee', 'The allowances a grantee holds', [['<grantee>', 'grantee ain1... address']]],
  ['grants-by-granter', 'The allowances a granter issued', [['<granter>', 'granter ain1... address']]],
];

/**
 * `aind query feegrant grant|grants-by-grantee|grants-by-granter`.
 * @example aind query feegrant grants-by-grantee ain1...
 */
export function feegrantQueryCommand(): Command {
  const command = new Command('feegrant').description('Fee grant queries: allowances by pair, grantee or granter');
  for (const [what, text, args] of SPECS) {
    const sub = command.command(what).description(text);
    for (const [arg, help] of args) sub.argument(arg, help);
    sub
      .addOption(nodeOption())
      .addOption(outputOption('json'))
      .action(async (...params: unknown[]) => {
        const flags = params[args.length] as { node: string; output: OutputFormat };
        printResult(await queryFeegrant(flags.node, what, params.slice(0, args.length) as string[]), flags.output);
      });
  }
  return command;
}
