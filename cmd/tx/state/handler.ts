import type { EncodeObject } from '@cosmjs/proto-signing';
import type { DeliverTxResponse } from '@cosmjs/stargate';
import { ainError, ErrInvalidRequest } from '../../../core/errors.ts';
import { parseAddress } from '../../../core/address.ts';
import { connectAin, parseJsonText, stateMsg, TxError } from '../../../client/index.ts';
import { findTx } from '../../common/client.ts';
import { signerForKey } from '../../../home/hd.ts';
import { getKey, keySigner } from '../../../home/keyring.ts';
import { nodeHttpUrl } from '../../common/node-url.ts';
import { type TxResponseJson, txResponseJson } from '../../common/tx-json.ts';
import { type BankSendOptions, type BroadcastOutcome, buildFee } from '../handler.ts';

/** The `aind tx state` subcommands. */
export const STATE_TX_COMMANDS = [
  'set-value',
  'inc-value',
  'dec-value',
  'delete-value',
  'set-rule',
  'set-owner',
  'set-function',
  'create-app',
] as const;
export type StateTxCommand = (typeof STATE_TX_COMMANDS)[number];

/** Flags of `tx state create-app`, resolved. */
export interface CreateAppFlags {
  readonly admins: readonly string[];
  readonly public: boolean;
}

/**
 * The message of a `tx state` command from its positional arguments (checked here: JSON must
 * parse, a path and a delta must be non-empty), signed by `signer`.
 * @example stateTxMessage('set-value', ['/apps/a/x', '{"n":1}'], 'ain1...') // { typeUrl: '/ain.state.v1.MsgSetValue', value: {...} }
 */
export function stateTxMessage(command: StateTxCommand, args: readonly string[], signer: string, createApp?: CreateAppFlags): EncodeObject {
  const [first = '', second = ''] = args;
  const path = () => nonEmpty(first, 'PATH');
  switch (command) {
    case 'set-value':
      return stateMsg.setValue(signer, path(), parseJsonText(second, 'VALUE'));
    case 'inc-value':
      return stateMsg.incValue(signer, path(), nonEmpty(second, 'DELTA'));
    case 'dec-value':
      return stateMsg.decValue(signer, path(), nonEmpty(second, 'DELTA'));
    case 'delete-value':
      return stateMsg.deleteValue(signer, path());
    case 'set-rule':
      return stateMsg.setRule(signer, path(), parseJsonText(second, 'RULE'));
    case 'set-owner':
      return stateMsg.setOwner(signer, path(), parseJsonText(second, 'OWNER'));
    case 'set-function':
      return stateMsg.setFunction(signer, path(), parseJsonText(second, 'FUNCTION'));
    case 'create-app':
      return stateMsg.createApp(signer, nonEmpty(first, 'NAME'), createApp?.admins ?? [signer], createApp?.public ?? false);
  }
}

function nonEmpty(value: string, what: string): string {
  if (value.trim() === '') throw ainError(ErrInvalidRequest, `${what} is empty`);
  return value;
}

/**
 * An `ain1...` address as given, or the address of a keyring key by that name. Throws `sdk/7` for a
 * malformed address and `sdk/22` for an unknown key name.
 */
export function resolveAddress(home: string, nameOrAddress: string, what = 'address'): string {
  if (/^ain1[02-9ac-hj-np-z]+$/.test(nameOrAddress)) {
    parseAddress(nameOrAddress, what);
    return nameOrAddress;
  }
  return getKey(home, nameOrAddress).address;
}

/**
 * `--admins a,b,...` (addresses or key names), deduplicated in order; without the flag, the signer.
 * @example parseAdmins(home, 'alice,ain1...', 'ain1me...')
 */
export function parseAdmins(home: string, list: string | undefined, signer: string): string[] {
  if (list === undefined) return [signer];
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.length === 0) throw ainError(ErrInvalidRequest, '--admins is empty; expected addresses or key names separated by commas');
  return [...new Set(items.map((item) => resolveAddress(home, item, '--admins entry')))];
}

export interface StateTxOptions extends SendOptions {
  readonly command: StateTxCommand;
  readonly args: readonly string[];
  /** `--admins` of create-app, unparsed. */
  readonly admins?: string | undefined;
  readonly public?: boolean | undefined;
}

/**
 * A `tx state` command: builds the message (all local checks happen before the node is contacted),
 * signs it with a keyring key through the client library, broadcasts it and waits for the block. A
 * refusal (simulation, CheckTx or block) comes back as `ok: false` with code, codespace and log.
 * @example await sendStateTx({ home, from: 'alice', node, command: 'set-value', args: ['/apps/a/x', '1'], gas: 'auto' })
 */
export async function sendStateTx(options: StateTxOptions): Promise<BroadcastOutcome> {
  return sendMessages(options, (signer) => {
    const createApp =
      options.command === 'create-app'
        ? { admins: parseAdmins(options.home, options.admins, signer), public: options.public ?? false }
        : undefined;
    return [stateTxMessage(options.command, options.args, signer, createApp)];
  });
}

/** The signing and broadcast flags every `aind tx` command shares, with the signer in `from`. */
export type SendOptions = Omit<BankSendOptions, 'from' | 'to' | 'amount'> & {
  /** Key name or address in the keyring. */
  readonly from: string;
};

/**
 * Any `aind tx` command's messages: `build` makes them for the signer's address (all local checks
 * happen there, before the node is contacted); they are signed with the keyring key through the
 * client library, broadcast, and awaited in a block. A refusal (simulation, CheckTx or block) comes
 * back as `ok: false` with code, codespace and log.
 */
export async function sendMessages(options: SendOptions, build: (signer: string) => EncodeObject[]): Promise<BroadcastOutcome> {
  const key = getKey(options.home, options.from);
  const messages = build(key.address);
  const memo = options.memo ?? '';
  const client = await connectAin({
    rpcUrl: nodeHttpUrl(options.node),
    signer: await signerForKey(await keySigner(key)),
    chainId: options.chainId,
    broadcastTimeoutMs: options.timeoutMs,
  });
  try {
    let result: DeliverTxResponse;
    try {
      const fee = await buildFee(options, () => client.simulate(messages, memo));
      result = await client.signAndBroadcast(messages, { fee, memo });
    } catch (error) {
      if (error instanceof TxError) return { ok: false, response: txErrorJson(error) };
      throw error;
    }
    const found = await findTx(client.cometClient, result.transactionHash);
    return { ok: true, response: found ? txResponseJson(found) : deliverJson(result) };
  } finally {
    client.disconnect();
  }
}

/** SDK TxResponse JSON of a refused tx. */
export function txErrorJson(error: TxError): TxResponseJson {
  return {
    height: String(error.height),
    txhash: error.txhash ?? '',
    codespace: error.codespace,
    code: error.code,
    data: '',
    raw_log: error.log,
    gas_wanted: error.gasWanted.toString(),
    gas_used: error.gasUsed.toString(),
    events: [],
  };
}

function deliverJson(result: DeliverTxResponse): TxResponseJson {
  return {
    height: String(result.height),
    txhash: result.transactionHash,
    codespace: '',
    code: result.code,
    data: '',
    raw_log: result.rawLog ?? '',
    gas_wanted: result.gasWanted.toString(),
    gas_used: result.gasUsed.toString(),
    events: result.events.map((e) => ({ type: e.type, attributes: e.attributes.map((a) => ({ key: a.key, value: a.value })) })),
  };
}
