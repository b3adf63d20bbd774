/**
 * `aind tx ainft ...`: collections, minting (from a job's accepted result too), the ERC-721
 * operations, composition, re-runs and payments, each signed with `--from` and awaited in a block.
 */
import { Command } from 'commander';
import { printSentTx, sendOptionsOf, type TxFlags, withTxFlags } from '../../common/index.ts';
import { type AinftTxCommand, type AinftTxFlags, sendAinftTx } from './handler.ts';

interface Spec {
  readonly name: AinftTxCommand;
  readonly description: string;
  readonly args: ReadonlyArray<readonly [string, string]>;
  readonly options?: ReadonlyArray<readonly [string, string]>;
}

const CLASS = ['<class_id>', 'collection id'] as const;
const ID = ['<id>', 'token id'] as const;
const OWNER_WEIGHT = ['--owner-weight <n>', "the owner's own share weight beside the children's (default 0)"] as const;

const SPECS: readonly Spec[] = [
  {
    name: 'create-class',
    description: 'Create a collection; you are its creator',
    args: [CLASS],
    options: [
      ['--name <text>', 'name'],
      ['--symbol <text>', 'symbol'],
      ['--description <text>', 'description'],
      ['--uri <uri>', 'metadata URI'],
      ['--uri-hash <hash>', 'hash of the document at --uri'],
      ['--minters <list>', 'who may mint (addresses or key names, comma-separated; default you)'],
    ],
  },
  {
    name: 'set-minters',
    description: "Replace a collection's minters (as its creator)",
    args: [CLASS, ['<minters>', 'addresses or key names, comma-separated']],
  },
  {
    name: 'mint',
    description: 'Mint a token (as a minter of the collection)',
    args: [CLASS, ID],
    options: [
      [
        '--metadata <json>',
        'the AINFT schema: {"data", "model": {"name", "epoch", "platform", "weights_hash"}, "service": {"api", "demo"}, "state"}, or @FILE',
      ],
      ['--children <list>', 'tokens it is composed of: CLASS/ID:WEIGHT,...'],
      OWNER_WEIGHT,
      ['--from-job <request_id>', 'your completed job request whose accepted result this token is (its weights_hash)'],
      ['--to <address>', 'recipient (default you)'],
      ['--uri <uri>', 'metadata URI'],
      ['--uri-hash <hash>', 'hash of the document at --uri'],
      ['--score-field <name>', "a re-run also reproduces when this number of the accepted output is within --tolerance of the original's"],
      ['--tolerance <decimal>', 'with --score-field'],
    ],
  },
  {
    name: 'transfer',
    description: 'Transfer a token (as its owner, approved address or an operator)',
    args: [CLASS, ID, ['<receiver>', 'address or key name']],
  },
  { name: 'approve', description: 'Let an address transfer or burn one token', args: [CLASS, ID, ['<spender>', 'address or key name']] },
  {
    name: 'approve-all',
    description: 'Let an operator act on all your tokens (--revoke: no longer)',
    args: [['<operator>', 'address or key name']],
    options: [['--revoke', 'withdraw the approval']],
  },
  { name: 'revoke', description: "Clear a token's approval", args: [CLASS, ID] },
  { name: 'burn', description: 'Burn a token no other token composes or refers to', args: [CLASS, ID] },
  {
    name: 'compose',
    description: "Replace a token's composition (as its owner)",
    args: [CLASS, ID, ['<children>', 'CLASS/ID:WEIGHT,... ("" for none)']],
    options: [OWNER_WEIGHT],
  },
  {
    name: 'rerun',
    description: "Ask for a re-run of the token's job, paying for it; the token records whether it reproduced",
    args: [CLASS, ID],
    options: [
      ['--worker-reward <uain>', 'reward of the worker ranked first'],
      ['--evaluator-reward <uain>', "the evaluator's reward"],
      ['--evaluator-deposit <uain>', "what the evaluator must deposit (at least the chain's min_evaluator_deposit)"],
      ['--time-limit <seconds>', 'how long workers have to submit'],
      ['--skip-evaluation', 'no evaluator: results are ranked by submission time'],
      ['--evaluators <list>', 'only these evaluators'],
      ['--workers <list>', 'only these workers'],
      ['--max-workers <n>', 'most workers that may join'],
    ],
  },
  {
    name: 'pay',
    description: "Pay a token: the amount is split to its owner and down its composition to its children's owners",
    args: [CLASS, ID, ['<amount>', 'uain']],
    options: [
      ['--kind <kind>', 'service (default), tip, licence, ...'],
      ['--note <text>', 'a note recorded in the payment event (the tx memo is --memo)'],
    ],
  },
];

/**
 * `aind tx ainft create-class|set-minters|mint|transfer|approve|approve-all|revoke|burn|compose|rerun|pay`.
 * @example aind tx ainft mint ainchat chatbot --children ainchat/data:2,ainchat/model:5,ainchat/service:3 --from alice
 * @example aind tx ainft pay ainchat chatbot 1000 --kind tip --from bob
 */
export function ainftTxCommand(): Command {
  const ainft = new Command('ainft').description('AINFTs: collections, tokens, composition, re-runs, payments');
  for (const spec of SPECS) {
    const command = ainft.command(spec.name).description(spec.description);
    for (const [name, description] of spec.args) command.argument(name, description);
    for (const [flag, description] of spec.options ?? []) command.option(flag, description);
    withTxFlags(command).action(async (...params: unknown[]) => {
      const flags = params[spec.args.length] as TxFlags & AinftTxFlags;
      const args = params.slice(0, spec.args.length) as string[];
      printSentTx(await sendAinftTx(sendOptionsOf(flags), spec.name, args, flags), flags.output);
    });
  }
  return ainft;
}
