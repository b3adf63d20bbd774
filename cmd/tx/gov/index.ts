import { Command } from 'commander';
import { printSentTx, sendOptionsOf, type TxFlags, withTxFlags } from '../../common/index.ts';
import { type GovTxCommand, sendGovTx, VOTE_OPTIONS } from './handler.ts';

const PROPOSAL_ID = ['<proposal_id>', 'proposal id'] as const;
const SPECS: ReadonlyArray<readonly [GovTxCommand, string, ReadonlyArray<readonly [string, string]>]> = [
  [
    'submit-proposal',
    'Submit a proposal from a JSON file: {"messages": [{"@type": "/cosmos.staking.v1beta1.MsgUpdateParams", "authority": "<gov account>", ...}], "deposit": "10000000uain", "title": "...", "summary": "...", "metadata": "", "expedited": false}',
    [['<proposal_file>', 'path of the proposal JSON']],
  ],
  [
    'cancel-proposal',
    'Cancel your proposal before its voting period ends; proposal_cancel_ratio of its deposits is burned (or sent to proposal_cancel_dest), the rest refunded',
    [PROPOSAL_ID],
  ],
  ['deposit', 'Deposit coins on a proposal in its deposit or voting period', [PROPOSAL_ID, ['<deposit>', 'coins, e.g. 10000000uain']]],
  ['vote', 'Vote on a proposal in its voting period', [PROPOSAL_ID, ['<option>', Object.keys(VOTE_OPTIONS).join(', ')]]],
  [
    'weighted-vote',
    'Split a vote between options',
    [PROPOSAL_ID, ['<weighted_options>', 'e.g. yes=0.6,no=0.3,abstain=0.1 (summing to 1)']],
  ],
];

/**
 * `aind tx gov submit-proposal|cancel-proposal|deposit|vote|weighted-vote` (the `cosmos.gov.v1` messages).
 * @example aind tx gov vote 1 yes --from validator --gas auto
 */
export function govTxCommand(): Command {
  const command = new Command('gov').description('Governance transactions: proposals, deposits, votes');
  for (const [name, description, args] of SPECS) {
    const sub = command.command(name).description(description);
    for (const [arg, text] of args) sub.argument(arg, text);
    withTxFlags(sub).action(async (...params: unknown[]) => {
      const flags = params[args.length] as TxFlags;
      const values = params.slice(0, args.length) as string[];
      printSentTx(await sendGovTx(sendOptionsOf(flags), name, values), flags.output);
    });
  }
  return command;
}
