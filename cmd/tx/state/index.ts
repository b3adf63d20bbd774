import { Command } from 'commander';
import { printSentTx, sendOptionsOf, type TxFlags, withTxFlags } from '../../common/index.ts';
import { sendStateTx, type StateTxCommand } from './handler.ts';

interface StateTxFlags extends TxFlags {
  admins?: string;
  public?: boolean;
}

interface Spec {
  readonly name: StateTxCommand;
  readonly description: string;
  readonly args: ReadonlyArray<readonly [string, string]>;
}

const PATH_ARG = ['<path>', 'state path, e.g. /apps/chat/posts/ain1.../1'] as const;

const SPECS: readonly Spec[] = [
  {
    name: 'set-value',
    description: 'Write a JSON value at a path (replacing what is there)',
    args: [PATH_ARG, ['<json>', `JSON value, e.g. '{"text":"hi"}' or '"hi"' or 5`]],
  },
  { name: 'inc-value', description: 'Add an integer to the number at a path', args: [PATH_ARG, ['<delta>', 'decimal integer, e.g. 1']] },
  {
    name: 'dec-value',
    description: 'Subtract an integer from the number at a path',
    args: [PATH_ARG, ['<delta>', 'decimal integer, e.g. 1']],
  },
  { name: 'delete-value', description: 'Delete the value at a path and its subtree', args: [PATH_ARG] },
  {
    name: 'set-rule',
    description: 'Set the rule config at a path',
    args: [PATH_ARG, ['<json>', `rule config, e.g. '{"write":"auth.addr == $user"}'`]],
  },
  {
    name: 'set-owner',
    description: 'Set the owner config at a path',
    args: [
      PATH_ARG,
      [
        '<json>',
        `owner config, e.g. '{"owners":{"ain1...":{"branch_owner":true,"write_function":true,"write_owner":true,"write_rule":true}}}'`,
      ],
    ],
  },
  {
    name: 'set-function',
    description: 'Set the function config at a path',
    args: [
      PATH_ARG,
      [
        '<json>',
        `function config (modules/triggers/README.md), e.g. '{"function_type":"NATIVE","function_id":"_transfer"}' at .../$from/$to/$key/value`,
      ],
    ],
  },
  {
    name: 'create-app',
    description: 'Create /apps/NAME with its admins (only they write, unless --public)',
    args: [['<name>', 'app name, [a-z_][a-z0-9_]*']],
  },
];

/**
 * `aind tx state set-value|inc-value|dec-value|delete-value|set-rule|set-owner|set-function|create-app`:
 * signs with a keyring key (`--from`), broadcasts, waits for the block; exits 1 when the tx is refused.
 * @example aind tx state set-value /apps/chat/posts/ain1.../1 '{"text":"hi"}' --from alice --gas auto --output json
 */
export function stateTxCommand(): Command {
  const state = new Command('state').description('State tree transactions: values, rules, owners, functions, apps');
  for (const spec of SPECS) {
    const command = state.command(spec.name).description(spec.description);
    for (const [name, description] of spec.args) command.argument(name, description);
    if (spec.name === 'create-app') {
      command
        .option('--admins <list>', 'comma-separated admin addresses or key names (default: the --from key)')
        .option('--public', 'anyone may write under the app (default: admins only)');
    }
    withTxFlags(command).action(async (...params: unknown[]) => {
      const flags = params[spec.args.length] as StateTxFlags;
      const args = params.slice(0, spec.args.length) as string[];
      printSentTx(
        await sendStateTx({
          ...sendOptionsOf(flags),
          command: spec.name,
          args,
          admins: flags.admins,
          public: flags.public,
        }),
        flags.output,
      );
    });
  }
  return state;
}
