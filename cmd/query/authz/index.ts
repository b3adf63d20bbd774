/** `aind query authz grants|grants-by-granter|grants-by-grantee`. */
import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../../common/index.ts';
import { type AuthzQuery, type AuthzQueryFlags, queryAuthz } from './handler.ts';

const SPECS: ReadonlyArray<readonly [AuthzQuery, string, ReadonlyArray<readonly [string, string]>]> = [
  [
    'grants',
    'The grants from GRANTER to GRANTEE (one message type with MSG_TYPE)',
    [
      ['<granter>', 'granter ain1... address'],
      ['<grantee>', 'grantee ain1... address'],
      ['[msg_type]', 'message type URL, e.g. /cosmos.bank.v1beta1.MsgSend'],
    ],
  ],
  ['grants-by-granter', 'Every grant GRANTER made', [['<granter>', 'granter ain1... address']]],
  ['grants-by-grantee', 'Every grant GRANTEE holds', [['<grantee>', 'grantee ain1... address']]],
];

/**
 * `aind query authz grants|grants-by-granter|grants-by-grantee`.
 * @example aind query authz grants-by-grantee ain1... --output json
 */
export function authzQueryCommand(): Command {
  const command = new Command('authz').description('Authorization grants queries');
  for (const [what, text, args] of SPECS) {
    const sub = command.command(what).description(text);
    for (const [arg, help] of args) sub.argument(arg, help);
    sub
      .option('--limit <n>', 'most grants in a page (default 100)')
      .option('--page-key <key>', 'next_key of the previous page (base64)')
      .addOption(nodeOption())
      .addOption(outputOption())
      .action(async (...params: unknown[]) => {
        const flags = params[args.length] as AuthzQueryFlags & { node: string; output: OutputFormat };
        const values = (params.slice(0, args.length) as Array<string | undefined>).filter((v): v is string => v !== undefined);
        printResult(await queryAuthz(flags.node, what, values, flags), flags.output);
      });
  }
  return command;
}
