/**
 * `aind tx shards branch|report|prove|transfer|unfreeze`: branching a child chain, reporting a
 * header by hand, proving a child's value on the parent, moving uain to a child and vouchers back,
 * lifting a freeze. Each is signed with `--from` and awaited in a block. `recovery-proposal` signs
 * nothing: it writes the gov proposal file that recovers an expired or frozen link.
 */
import { Command } from 'commander';
import {
  formatTxSummary,
  type NodeFlags,
  nodeOption,
  printSentTx,
  sendOptionsOf,
  type TxFlags,
  type TxResponseJson,
  withTxFlags,
} from '../../common/index.ts';
import { type ShardsTxCommand, type ShardsTxFlags, sendShardsTx } from './handler.ts';
import { type RecoveryProposalFlags, writeRecoveryProposal } from './recoveryProposal.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface Spec {
  readonly name: ShardsTxCommand;
  readonly description: string;
  readonly args: ReadonlyArray<readonly [string, string]>;
  readonly options?: ReadonlyArray<readonly [string, string, boolean?]>;
}

const SHARD = ['<shard>', "a child's name on the parent; `parent` on a child"] as const;
const SPECS: readonly Spec[] = [
  {
    name: 'branch',
    description: 'Branch /apps/<name> off to a child chain (as an admin of the app); prints the shard fee account',
    args: [['<name>', 'the app whose subtree the child takes over']],
    options: [
      ['--child-chain-id <id>', "the child's chain id"],
      ['--validator <spec>', 'KEY:POWER:OPERATOR: base64 ed25519 key or a node home, power, operator address or key (repeatable)', true],
      ['--account <spec>', "ADDRESS:AMOUNT funded in the child's genesis, its own uain (repeatable)", true],
      ['--genesis-time <time>', "the child's genesis time, unix seconds or RFC 3339 (default now)"],
      ['--trusting-period <seconds>', 'how long a reported header may vouch for the next (default 1209600, two weeks)'],
      ['--trust-level <fraction>', 'share of trusted power a skipped-to header needs (default 1/3)'],
      ['--max-clock-drift <seconds>', "how far a header's time may run ahead of the parent's block time (default 10)"],
      ['--block-time <duration>', "the child's block time, e.g. 1s or 500ms (default 1s)"],
      ['--max-block-bytes <n>', "the child's largest block (default 22020096)"],
      ['--report-fee <uain>', 'paid to a relayer per accepted report, from the shard account (default 0)'],
      ['--deposit <uain>', 'moved from you into the shard account (default 0)'],
      ['--admin <address>', 'may unfreeze the shard (default you)'],
    ],
  },
  {
    name: 'report',
    description: "Report another chain's signed header (what a relayer does), with its validator sets",
    args: [SHARD],
    options: [
      ['--source <url>', "the reported chain's RPC"],
      ['--height <n>', 'the height (default its latest but one)'],
    ],
  },
  {
    name: 'prove',
    description: "Prove a value of the child's state on the parent at the latest reported height",
    args: [SHARD, ['<path>', "a path of the child's state tree"]],
    options: [['--child <url>', "the child chain's RPC"]],
  },
  {
    name: 'transfer',
    description:
      "Send this chain's own tokens to the other chain (escrowed here; minted there as shard/<this chain id>/<denom>) or the other chain's vouchers back (burned here; released there)",
    args: [SHARD, ['<receiver>', 'address on the other chain (or a key name)'], ['<amount>', 'in --denom']],
    options: [
      [
        '--denom <denom>',
        "what to send: a denom of this chain's own or shard/<other chain id>/<denom> (default uain from a parent, shard/<parent chain id>/uain from a child)",
      ],
      ['--timeout-height <n>', "the other chain's height from which the transfer can no longer arrive"],
      ['--timeout-blocks <n>', "without --timeout-height: the other chain's reported height plus this (default 1000)"],
    ],
  },
  { name: 'unfreeze', description: 'Lift a freeze after misbehaviour (as the shard admin)', args: [SHARD] },
];

/** After a branch's summary: the shard account (fees, deposit, escrow) and the child's genesis hash. */
function branchedLine(response: TxResponseJson): string {
  const branched = response.events.find((e) => e.type === 'ain.shards.v1.EventBranched');
  const value = (key: string) => branched?.attributes.find((a) => a.key === key)?.value;
  return branched ? `\nshard account: ${value('account')}\nchild genesis hash: ${value('genesis_hash')}` : '';
}

/**
 * `recovery-proposal`: `--node` holds the link (its chain id, trusted height, gov authority and
 * minimum deposit), `--source` is the chain it follows.
 */
function recoveryProposalCommand(): Command {
  return new Command('recovery-proposal')
    .description(
      'Write the gov proposal file (MsgRecoverLink) that gives an expired or frozen link a fresh trust root: a signed header of the chain it follows, with its validator sets; submit it with `aind tx gov submit-proposal`',
    )
    .argument(SHARD[0], SHARD[1])
    .option('--source <url>', "the RPC of the chain the link follows (a child for a child's name, the parent for `parent`)")
    .option('--height <n>', "the header's height, above the link's latest trusted height (default the source's latest but one)")
    .option('--title <text>', 'proposal title (default "Recover shard <shard>")')
    .option('--summary <text>', 'proposal summary (default names the chain, height, header hash and the trusted height)')
    .option('--deposit <coins>', "initial deposit, e.g. 10000000uain (default the chain's minimum deposit)")
    .option('--metadata <text>', 'proposal metadata (default empty)')
    .option('--output-document <file>', 'where to write the proposal (default recover-<shard>.json)')
    .addOption(nodeOption())
    .action(async (shard: string, flags: RecoveryProposalFlags & NodeFlags) => {
      const written = await writeRecoveryProposal(flags.node, shard, flags);
      process.stdout.write(`${written.lines.join('\n')}\n`);
    });
}

/**
 * @example aind tx shards recovery-proposal chat --source http://127.0.0.1:26757 --node http://127.0.0.1:26657
 * @example aind tx shards branch chat --child-chain-id ain-chat-1 --validator ~/.chat0:100:alice --deposit 1000000 --report-fee 100 --from alice
 * @example aind tx shards transfer chat ain1... 5000 --from bob
 * @example aind tx shards transfer parent ain1... 5000 --denom uain --from carl   (a child's own uain, up to its parent)
 */
export function shardsTxCommand(): Command {
  const shards = new Command('shards').description('Child chains: branch, report, prove, transfer, unfreeze, recovery-proposal');
  for (const spec of SPECS) {
    const command = shards.command(spec.name).description(spec.description);
    for (const [name, description] of spec.args) command.argument(name, description);
    for (const [flag, description, repeatable] of spec.options ?? []) {
      if (repeatable) command.option(flag, description, collect);
      else command.option(flag, description);
    }
    withTxFlags(command).action(async (...params: unknown[]) => {
      const flags = params[spec.args.length] as TxFlags & ShardsTxFlags;
      const args = params.slice(0, spec.args.length) as string[];
      const sent = await sendShardsTx(sendOptionsOf(flags), spec.name, args, flags);
      printSentTx(sent, flags.output, (response) => formatTxSummary(response) + branchedLine(response));
    });
  }
  shards.addCommand(recoveryProposalCommand());
  return shards;
}
