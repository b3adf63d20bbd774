import type { EncodeObject } from '@cosmjs/proto-signing';
import { ainError, ErrInvalidRequest } from '../../../core/index.ts';
import { parseJsonText, stateMsg } from '../../../client/index.ts';
import { resolveKeyOrAddress } from '../../../home/index.ts';
import { type BroadcastOutcome, type SendOptions, sendMessages } from '../../common/index.ts';

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
  return [...new Set(items.map((item) => resolveKeyOrAddress(home, item, '--admins entry')))];
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
