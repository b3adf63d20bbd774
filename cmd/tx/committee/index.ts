import { Command } from 'commander';
import { printSentTx, sendOptionsOf, type TxFlags, withTxFlags } from '../../common/index.ts';
import { type CommitteeTxCommand, sendCommitteeTx } from './handler.ts';

const SPECS: ReadonlyArray<readonly [CommitteeTxCommand, string, ReadonlyArray<readonly [string, string]>]> = [
  [
    'propose',
    'As a member: propose what the committee account runs, from a JSON file {"summary": "...", "messages": [{"@type": "/cosmos.bank.v1beta1.MsgSend", "to_address": "ain1...", "amount": "5000000uain"} or {"@type": "/cosmos.gov.v1.MsgSubmitProposal", "deposit": "10000000uain", "title": "...", "summary": "...", "messages": [{"@type": "/ain.compute.v1.MsgUpdateParams", "params": {...}}]}]}; your vote is yes',
    [['<proposal_file>', 'path of the proposal JSON']],
  ],
  [
    'vote',
    'As a member: vote on an open proposal; it runs once the yes weight reaches the threshold',
    [
      ['<proposal_id>', 'proposal id'],
      ['<option>', 'yes or no'],
    ],
  ],
  ['fund', 'Add coins to the developer fund', [['<amount>', 'coins, e.g. 1000000uain']]],
];

/**
 * `aind tx committee propose|vote|fund` (the developer committee).
 * @example aind tx committee vote 1 yes --from alice --gas auto
 */
export function committeeTxCommand(): Command {
  const command = new Command('committee').description('Developer committee transactions: propose, vote, fund');
  for (const [name, description, args] of SPECS) {
    const sub = command.command(name).description(description);
    for (const [arg, text] of args) sub.argument(arg, text);
    withTxFlags(sub).action(async (...params: unknown[]) => {
      const flags = params[args.length] as TxFlags;
      const values = params.slice(0, args.length) as string[];
      printSentTx(await sendCommitteeTx(sendOptionsOf(flags), name, values), flags.output);
    });
  }
  return command;
}
