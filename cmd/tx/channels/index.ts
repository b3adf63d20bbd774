/**
 * `aind tx channels open|redeem|close` (payment channels for HTTP-triggered functions) and
 * `propose-contract|accept-contract|end-contract|claim-misses|dispute-misses|settle-contract`
 * (service contracts). Each is signed with `--from` and awaited in a block.
 */
import { Command } from 'commander';
import { printSentTx, sendOptionsOf, type TxFlags, withTxFlags } from '../../common/index.ts';
import { type ChannelsTxCommand, type ChannelsTxFlags, sendChannelsTx } from './handler.ts';

interface Spec {
  readonly name: ChannelsTxCommand;
  readonly description: string;
  readonly args: ReadonlyArray<readonly [string, string]>;
  readonly options?: ReadonlyArray<readonly [string, string]>;
}

const CONTRACT = ['<contract_id>', 'contract id'] as const;
const SPECS: readonly Spec[] = [
  {
    name: 'open',
    description: 'Open a payment channel: escrow DEPOSIT uain for EXECUTOR, paid by vouchers you sign per call',
    args: [
      ['<executor>', 'executor address or key name'],
      ['<deposit>', 'uain'],
    ],
    options: [['--duration <seconds>', 'block time until you may close it and take the rest back (default 3600)']],
  },
  {
    name: 'redeem',
    description: "Redeem vouchers as the channels' executor: each VOUCHER is the ain-voucher JSON, a JSON array of them, or @FILE",
    args: [['<vouchers...>', 'voucher JSON {channel_id, amount, nonce, signature}']],
  },
  {
    name: 'close',
    description: 'Close an expired channel as its payer; the unredeemed deposit comes back',
    args: [['<channel_id>', 'channel id']],
  },
  {
    name: 'propose-contract',
    description: "Reserve EXECUTOR's capacity for a period at a fixed price (escrowed now); it accepts by posting the deposit",
    args: [['<executor>', 'executor address or key name']],
    options: [
      ['--price <uain>', 'the fixed price for the period'],
      ['--deposit <uain>', 'what the executor must escrow'],
      ['--penalty <uain>', 'slashed from the deposit to you per miss that stands'],
      ['--duration <seconds>', 'the period, from acceptance (default 3600)'],
      ['--dispute-window <seconds>', 'time to claim after the end, and to dispute each claim (default 600)'],
      ['--rps <n>', 'requests per second reserved (default 1)'],
      ['--gpus <n>', 'GPUs reserved (default 0)'],
    ],
  },
  {
    name: 'accept-contract',
    description: 'Accept a proposed contract as its executor: escrows the deposit, the period starts',
    args: [CONTRACT],
  },
  {
    name: 'end-contract',
    description: 'As the client: withdraw a proposal (price back) or end a contract early (unused price back, pro rata)',
    args: [CONTRACT],
  },
  {
    name: 'claim-misses',
    description: 'As the client: claim calls not answered by their deadline, with your signed requests',
    args: [CONTRACT, ['<requests>', 'JSON [{seq, deadline, body_hash (hex), signature (base64)}] or @FILE']],
  },
  {
    name: 'dispute-misses',
    description: 'As the executor: void claims with your signed receipts of answers in time',
    args: [CONTRACT, ['<receipts>', 'JSON [{seq, answered_at, signature (base64)}] or @FILE']],
  },
  {
    name: 'settle-contract',
    description: 'Pay out a contract after its end and both dispute windows (either party)',
    args: [CONTRACT],
  },
];

/**
 * @example aind tx channels open ain1... 100000 --duration 86400 --from alice
 * @example aind tx channels propose-contract ain1... --price 600000 --deposit 100000 --penalty 1000 --from alice
 */
export function channelsTxCommand(): Command {
  const channels = new Command('channels').description('Payment channels and service contracts for HTTP-triggered functions');
  for (const spec of SPECS) {
    const command = channels.command(spec.name).description(spec.description);
    for (const [name, description] of spec.args) command.argument(name, description);
    for (const [flag, description] of spec.options ?? []) command.option(flag, description);
    withTxFlags(command).action(async (...params: unknown[]) => {
      const flags = params[spec.args.length] as TxFlags & ChannelsTxFlags;
      const args = params.slice(0, spec.args.length).flat() as string[];
      printSentTx(await sendChannelsTx(sendOptionsOf(flags), spec.name, args, flags), flags.output);
    });
  }
  return channels;
}
