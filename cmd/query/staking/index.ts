import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../../common/index.ts';
import { queryDistribution, querySlashing, queryStaking, VALIDATOR_STATUSES } from './handler.ts';

interface Flags {
  node: string;
  output: OutputFormat;
  status?: string;
}

type Run = (node: string, what: string, args: readonly string[], flags: Flags) => Promise<unknown>;

function group(
  name: string,
  description: string,
  specs: ReadonlyArray<readonly [string, string, ReadonlyArray<readonly [string, string]>]>,
  run: Run,
): Command {
  const command = new Command(name).description(description);
  for (const [what, text, args] of specs) {
    const sub = command.command(what).description(text);
    for (const [arg, help] of args) sub.argument(arg, help);
    if (name === 'staking' && what === 'validators')
      sub.option('--status <status>', `only ${Object.keys(VALIDATOR_STATUSES).join(', ')} validators`);
    sub
      .addOption(nodeOption())
      .addOption(outputOption('json'))
      .action(async (...params: unknown[]) => {
        const flags = params[args.length] as Flags;
        const values = (params.slice(0, args.length) as (string | undefined)[]).filter((v) => v !== undefined);
        printResult(await run(flags.node, what, values, flags), flags.output);
      });
  }
  return command;
}

const DELEGATOR = ['<delegator>', 'delegator address, ain1...'] as const;
const VALIDATOR = ['<validator>', 'validator operator address, ainvaloper1...'] as const;

/**
 * `aind query staking validators|validator|delegation|delegations|unbonding-delegations|redelegations|pool|params`.
 * @example aind query staking validators --status bonded
 */
export function stakingQueryCommand(): Command {
  return group(
    'staking',
    'Staking queries: validators, delegations, unbonding',
    [
      ['validators', 'Every validator (or those of --status)', []],
      ['validator', 'One validator', [VALIDATOR]],
      ['delegation', 'One delegation and its balance', [DELEGATOR, VALIDATOR]],
      ['delegations', "A delegator's delegations", [DELEGATOR]],
      ['unbonding-delegations', "A delegator's unbonding delegations", [DELEGATOR]],
      ['redelegations', "A delegator's redelegations", [DELEGATOR]],
      ['pool', 'Bonded and not-bonded tokens', []],
      ['params', 'Staking params', []],
    ],
    (node, what, args, flags) => queryStaking(node, what, args, flags.status),
  );
}

/**
 * `aind query distribution rewards DELEGATOR [VALIDATOR]|commission VALIDATOR|community-pool`.
 * @example aind query distribution rewards ain1...
 */
export function distributionQueryCommand(): Command {
  return group(
    'distribution',
    'Distribution queries: rewards, commission, community pool',
    [
      [
        'rewards',
        "A delegator's rewards (all delegations, or one validator's)",
        [DELEGATOR, ['[validator]', 'validator operator address']],
      ],
      ['commission', "A validator's accumulated commission", [VALIDATOR]],
      ['community-pool', 'The community pool', []],
    ],
    (node, what, args) => queryDistribution(node, what, args),
  );
}

/**
 * `aind query slashing signing-info KEY|signing-infos|params`.
 * @example aind query slashing signing-info ainvaloper1...
 */
export function slashingQueryCommand(): Command {
  return group(
    'slashing',
    'Slashing queries: liveness and jail',
    [
      [
        'signing-info',
        "A validator's liveness record",
        [['<key>', 'ainvalcons1... address, ainvaloper1... operator, or the ed25519 consensus key (base64)']],
      ],
      ['signing-infos', 'Every signing info', []],
      ['params', 'Slashing params', []],
    ],
    (node, what, args) => querySlashing(node, what, args),
  );
}
