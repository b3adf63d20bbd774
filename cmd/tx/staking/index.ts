import { Command } from 'commander';
import { printSentTx, sendOptionsOf, type TxFlags, withTxFlags } from '../../common/index.ts';
import { type PosTxCommand, type PosTxFlags, sendPosTx } from './handler.ts';

interface Spec {
  readonly name: PosTxCommand;
  readonly description: string;
  readonly args: ReadonlyArray<readonly [string, string]>;
  readonly options?: ReadonlyArray<readonly [string, string]>;
}

const VALIDATOR = ['<validator>', 'validator operator address, ainvaloper1...'] as const;
const AMOUNT = ['<amount>', 'coin of the bond denom, e.g. 1000000uain'] as const;
const DESCRIPTION = [
  ['--moniker <name>', 'validator name'],
  ['--identity <text>', 'identity signature (e.g. a Keybase key id)'],
  ['--website <url>', 'website'],
  ['--security-contact <email>', 'security contact'],
  ['--details <text>', 'details'],
] as const;

const STAKING: readonly Spec[] = [
  {
    name: 'create-validator',
    description: "Create a validator operated by the --from key, self-delegating --amount, with this node's consensus key",
    args: [],
    options: [
      ['--amount <coin>', 'self-delegation, e.g. 1000000uain (required)'],
      [
        '--pubkey <key>',
        'ed25519 consensus key: base64, or {"@type":"/cosmos.crypto.ed25519.PubKey","key":"..."} (default: HOME/config/priv_validator_key.json)',
      ],
      ...DESCRIPTION,
      ['--commission-rate <decimal>', 'initial commission rate (default 0.10)'],
      ['--commission-max-rate <decimal>', 'maximum commission rate, fixed forever (default 0.20)'],
      ['--commission-max-change-rate <decimal>', 'largest change per day, fixed forever (default 0.01)'],
      ['--min-self-delegation <uain>', 'minimum self-delegation; below it the validator is jailed (default 1)'],
    ],
  },
  {
    name: 'edit-validator',
    description: "Edit the description, commission rate (once a day) or minimum self-delegation (only up) of the --from key's validator",
    args: [],
    options: [
      ...DESCRIPTION,
      ['--commission-rate <decimal>', 'new commission rate'],
      ['--min-self-delegation <uain>', 'new minimum self-delegation'],
    ],
  },
  { name: 'delegate', description: 'Delegate tokens to a validator', args: [VALIDATOR, AMOUNT] },
  { name: 'unbond', description: 'Undelegate tokens from a validator; they are paid after the unbonding time', args: [VALIDATOR, AMOUNT] },
  {
    name: 'redelegate',
    description: 'Move a delegation to another validator at once (slashable for the source until the unbonding time passes)',
    args: [['<src_validator>', 'source validator, ainvaloper1...'], ['<dst_validator>', 'destination validator, ainvaloper1...'], AMOUNT],
  },
];
const DISTRIBUTION: readonly Spec[] = [
  {
    name: 'withdraw-rewards',
    description: "Withdraw a delegation's rewards (whole uain)",
    args: [VALIDATOR],
    options: [['--commission', "also the validator's commission (the --from key must operate it)"]],
  },
];
const SLASHING: readonly Spec[] = [{ name: 'unjail', description: "Unjail the --from key's validator after its jail time", args: [] }];

function group(name: string, description: string, specs: readonly Spec[]): Command {
  const command = new Command(name).description(description);
  for (const spec of specs) {
    const sub = command.command(spec.name).description(spec.description);
    for (const [arg, text] of spec.args) sub.argument(arg, text);
    for (const [flag, text] of spec.options ?? []) sub.option(flag, text);
    withTxFlags(sub).action(async (...params: unknown[]) => {
      const flags = params[spec.args.length] as TxFlags & PosTxFlags;
      const args = params.slice(0, spec.args.length) as string[];
      printSentTx(await sendPosTx(sendOptionsOf(flags), spec.name, args, flags), flags.output);
    });
  }
  return command;
}

/**
 * `aind tx staking create-validator|edit-validator|delegate|unbond|redelegate`.
 * @example aind tx staking delegate ainvaloper1... 1000000uain --from alice --gas auto
 */
export function stakingTxCommand(): Command {
  return group('staking', 'Staking transactions: validators and delegations', STAKING);
}

/**
 * `aind tx distribution withdraw-rewards VALIDATOR [--commission]`.
 * @example aind tx distribution withdraw-rewards ainvaloper1... --from alice --gas auto
 */
export function distributionTxCommand(): Command {
  return group('distribution', 'Distribution transactions: rewards and commission', DISTRIBUTION);
}

/**
 * `aind tx slashing unjail`.
 * @example aind tx slashing unjail --from validator --gas auto
 */
export function slashingTxCommand(): Command {
  return group('slashing', 'Slashing transactions', SLASHING);
}
