import { Command } from 'commander';
import { printSentTx, sendOptionsOf, type TxFlags, withSignerlessTxFlags } from '../../common/index.ts';
import { type GrantFlags, sendGrant, sendRevoke } from './handler.ts';

/**
 * `aind tx feegrant grant|revoke GRANTER GRANTEE` (the `cosmos.feegrant.v1beta1` messages; GRANTER,
 * a keyring key or its address, signs). A grantee then names the granter with `--fee-granter`.
 * @example aind tx feegrant grant app-key ain1... --spend-limit 1000000uain --period 86400 --period-limit 50000uain
 */
export function feegrantTxCommand(): Command {
  const command = new Command('feegrant').description('Fee grants: let another account pay your fees, within an allowance');
  withSignerlessTxFlags(
    command
      .command('grant')
      .description(
        'Grant a fee allowance to an address (basic; periodic with --period and --period-limit; only some messages with --allowed-messages)',
      )
      .argument('<granter_key_or_address>', 'granter: key name or address in the keyring (it signs)')
      .argument('<grantee>', 'grantee ain1... address')
      .option('--spend-limit <coins>', 'most the grantee may spend in all, e.g. 1000000uain (default: no limit)')
      .option('--expiration <time>', 'RFC 3339 time the allowance ends, e.g. 2030-01-01T00:00:00Z (default: never)')
      .option('--period <seconds>', 'length of a period of a periodic allowance, in seconds')
      .option('--period-limit <coins>', 'most the grantee may spend per period, e.g. 10000uain')
      .option(
        '--allowed-messages <type_urls>',
        'comma-separated message type URLs the allowance pays for, e.g. /cosmos.bank.v1beta1.MsgSend',
      ),
  ).action(async (granter: string, grantee: string, flags: TxFlags & GrantFlags) => {
    // The first period's end is set from this machine's clock, as simd's CLI does (never in consensus code).
    const now = BigInt(Math.floor(Date.now() / 1000));
    printSentTx(await sendGrant(sendOptionsOf({ ...flags, from: granter }), grantee, flags, now), flags.output);
  });
  withSignerlessTxFlags(
    command
      .command('revoke')
      .description("Revoke a grantee's fee allowance")
      .argument('<granter_key_or_address>', 'granter: key name or address in the keyring (it signs)')
      .argument('<grantee>', 'grantee ain1... address'),
  ).action(async (granter: string, grantee: string, flags: TxFlags) => {
    printSentTx(await sendRevoke(sendOptionsOf({ ...flags, from: granter }), grantee), flags.output);
  });
  return command;
}
