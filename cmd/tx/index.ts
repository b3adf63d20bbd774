import { Command } from 'commander';
import { homeOption, keyringBackendOption, nodeOption, outputOption, printSentTx, sendOptionsOf, type TxFlags } from '../common/index.ts';
import { bankSend } from './handler.ts';
import { stateTxCommand } from './state/index.ts';
import { jobsTxCommand } from './jobs/index.ts';
import { ainftTxCommand } from './ainft/index.ts';
import { shardsTxCommand } from './shards/index.ts';
import { channelsTxCommand } from './channels/index.ts';
import { committeeTxCommand } from './committee/index.ts';
import { govTxCommand } from './gov/index.ts';
import { authzTxCommand } from './authz/index.ts';
import { feegrantTxCommand } from './feegrant/index.ts';
import { distributionTxCommand, slashingTxCommand, stakingTxCommand } from './staking/index.ts';

/** `tx bank send` takes the signer as its first argument, not `--from`. */
type SendFlags = Omit<TxFlags, 'from'>;

/**
 * `aind tx bank send FROM TO COINS`: signs with a keyring key (SIGN_MODE_DIRECT), broadcasts, waits
 * for inclusion. Exits 1 when CheckTx rejects the tx or its execution fails.
 * @example aind tx bank send alice ain1... 1000uain --gas auto --home ~/.aind --output json
 */
export function txCommand(): Command {
  const tx = new Command('tx').description('Sign and broadcast transactions');
  const bank = tx.command('bank').description('Bank transactions');
  bank
    .command('send')
    .description('Send coins from a keyring key to an address, and wait until the tx is in a block')
    .argument('<from_key_or_address>', 'sender: key name or address in the keyring')
    .argument('<to_address>', 'recipient ain1... address')
    .argument('<amount>', 'coins, e.g. 1000uain')
    .option('--fees <coins>', 'fee to pay, e.g. 5000uain (default: gas x --gas-prices)')
    .option('--gas <limit>', 'gas limit, or "auto" to simulate first (default 200000)')
    .option('--gas-adjustment <factor>', 'multiplier of the simulated gas with --gas auto', '1.5')
    .option('--gas-prices <price>', 'price per unit of gas, e.g. 0.025uain (default: the genesis minimum 0.025uain)')
    .option('--chain-id <id>', "chain id to sign for (default: the node's)")
    .option('--memo <text>', 'tx memo')
    .option('--fee-granter <address>', 'account whose fee allowance pays the fee (x/feegrant; default: the signer pays)')
    .option('-y, --yes', 'skip confirmation (never asked; accepted for simd compatibility)')
    .addOption(keyringBackendOption())
    .addOption(homeOption())
    .addOption(nodeOption())
    .addOption(outputOption('json'))
    .action(async (from: string, to: string, amount: string, flags: SendFlags) => {
      printSentTx(await bankSend({ ...sendOptionsOf({ ...flags, from }), to, amount }), flags.output);
    });
  tx.addCommand(stateTxCommand());
  tx.addCommand(jobsTxCommand());
  tx.addCommand(ainftTxCommand());
  tx.addCommand(shardsTxCommand());
  tx.addCommand(channelsTxCommand());
  tx.addCommand(stakingTxCommand());
  tx.addCommand(distributionTxCommand());
  tx.addCommand(slashingTxCommand());
  tx.addCommand(govTxCommand());
  tx.addCommand(committeeTxCommand());
  tx.addCommand(authzTxCommand());
  tx.addCommand(feegrantTxCommand());
  return tx;
}
