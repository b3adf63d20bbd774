/** `aind tx authz grant|exec|revoke`: let another account run messages for the --from key, run them, take it back. */
import { Command } from 'commander';
import { printSentTx, sendOptionsOf, type TxFlags, withTxFlags } from '../../common/index.ts';
import { type AuthzTxCommand, type AuthzTxFlags, GRANT_KINDS, sendAuthzTx } from './handler.ts';

const SPECS: ReadonlyArray<
  readonly [AuthzTxCommand, string, ReadonlyArray<readonly [string, string]>, ReadonlyArray<readonly [string, string]>]
> = [
  [
    'grant',
    'Let GRANTEE run messages of one type for the --from key (a new grant for the same type replaces the old)',
    [
      ['<grantee>', 'grantee ain1... address'],
      ['<authorization_type>', GRANT_KINDS.join('|')],
    ],
    [
      ['--spend-limit <coins>', 'send: most coins the grantee may send, e.g. 1000uain'],
      ['--allow-list <addresses>', 'send: comma-separated recipients the grantee may send to (default any)'],
      ['--msg-type <type_url>', 'generic: the message type granted, e.g. /ain.state.v1.MsgSetValue'],
      ['--max-tokens <coin>', 'delegate|undelegate|redelegate: most tokens in all (default no limit)'],
      ['--allowed-validators <valopers>', 'delegate|undelegate|redelegate: comma-separated validators allowed'],
      ['--deny-validators <valopers>', 'delegate|undelegate|redelegate: comma-separated validators refused'],
      ['--expiration <unix_seconds>', 'when the grant expires (default never)'],
    ],
  ],
  [
    'exec',
    'Run messages signed by granters (or the --from key itself) as the --from grantee',
    [['<file>', 'JSON list of messages [{"@type", ...fields}], or a tx JSON with body.messages']],
    [],
  ],
  [
    'revoke',
    "Take back the --from key's grant to GRANTEE for one message type",
    [
      ['<grantee>', 'grantee ain1... address'],
      ['<msg_type>', 'message type URL, e.g. /cosmos.bank.v1beta1.MsgSend'],
    ],
    [],
  ],
];

/**
 * `aind tx authz grant|exec|revoke` (the `cosmos.authz.v1beta1` messages).
 * @example aind tx authz grant ain1... send --spend-limit 1000uain --from alice
 */
export function authzTxCommand(): Command {
  const command = new Command('authz').description('Authorization grants: let another account act for yours');
  for (const [name, description, args, options] of SPECS) {
    const sub = command.command(name).description(description);
    for (const [arg, text] of args) sub.argument(arg, text);
    for (const [flag, text] of options) sub.option(flag, text);
    withTxFlags(sub).action(async (...params: unknown[]) => {
      const flags = params[args.length] as TxFlags & AuthzTxFlags;
      const values = params.slice(0, args.length) as string[];
      printSentTx(await sendAuthzTx(sendOptionsOf(flags), name, values, flags), flags.output);
    });
  }
  return command;
}
