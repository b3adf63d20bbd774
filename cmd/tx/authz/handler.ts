/**
 * `aind tx authz ...`: the `cosmos.authz.v1beta1` messages of the authz commands for the `--from`
 * key (checked here, before the node is contacted): grant (send, generic, delegate, undelegate,
 * redelegate), exec (messages from a file) and revoke.
 */
import { readFileSync } from 'node:fs';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { GenericAuthorization } from 'cosmjs-types/cosmos/authz/v1beta1/authz';
import { MsgExec, MsgGrant, MsgRevoke } from 'cosmjs-types/cosmos/authz/v1beta1/tx';
import { SendAuthorization } from 'cosmjs-types/cosmos/bank/v1beta1/authz';
import { AuthorizationType, StakeAuthorization } from 'cosmjs-types/cosmos/staking/v1beta1/authz';
import type { Any } from 'cosmjs-types/google/protobuf/any';
import { ADDRESS_PREFIX, ainError, coinsToProto, ErrInvalidRequest, parseAddress, parseCoins } from '../../../core/index.ts';
import { type BroadcastOutcome, type SendOptions, sendMessages } from '../../common/index.ts';
import { proposalMessage } from '../gov/handler.ts';

export const AUTHZ_TX_COMMANDS = ['grant', 'exec', 'revoke'] as const;
export type AuthzTxCommand = (typeof AUTHZ_TX_COMMANDS)[number];
export const GRANT_KINDS = ['send', 'generic', 'delegate', 'undelegate', 'redelegate'] as const;

/** The grant flags (simd's names), unparsed. */
export interface AuthzTxFlags {
  readonly spendLimit?: string | undefined;
  readonly allowList?: string | undefined;
  readonly msgType?: string | undefined;
  readonly maxTokens?: string | undefined;
  readonly allowedValidators?: string | undefined;
  readonly denyValidators?: string | undefined;
  /** Unix seconds. */
  readonly expiration?: string | undefined;
}

const STAKE_TYPES: Readonly<Record<string, AuthorizationType>> = {
  delegate: AuthorizationType.AUTHORIZATION_TYPE_DELEGATE,
  undelegate: AuthorizationType.AUTHORIZATION_TYPE_UNDELEGATE,
  redelegate: AuthorizationType.AUTHORIZATION_TYPE_REDELEGATE,
};

/** A comma-separated list of addresses (empty: none), each checked. */
function addresses(text: string | undefined, field: string, prefix = ADDRESS_PREFIX): string[] {
  const list = (text ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  list.forEach((entry, i) => parseAddress(entry, `${field}[${i}]`, prefix));
  return list;
}

function authorizationOf(kind: string, flags: AuthzTxFlags): Any {
  switch (kind) {
    case 'send': {
      if (!flags.spendLimit) throw ainError(ErrInvalidRequest, '--spend-limit is missing; expected coins such as 1000uain');
      const spendLimit = coinsToProto(parseCoins(flags.spendLimit, '--spend-limit'));
      const allowList = addresses(flags.allowList, '--allow-list');
      return { typeUrl: SendAuthorization.typeUrl, value: SendAuthorization.encode({ spendLimit, allowList }).finish() };
    }
    case 'generic': {
      if (!flags.msgType?.startsWith('/'))
        throw ainError(ErrInvalidRequest, '--msg-type is missing; expected a message type URL such as /ain.state.v1.MsgSetValue');
      return { typeUrl: GenericAuthorization.typeUrl, value: GenericAuthorization.encode({ msg: flags.msgType }).finish() };
    }
    default: {
      const type = STAKE_TYPES[kind];
      if (type === undefined)
        throw ainError(ErrInvalidRequest, `authorization type "${kind}" is unknown; expected one of ${GRANT_KINDS.join(', ')}`);
      const allowed = addresses(flags.allowedValidators, '--allowed-validators', `${ADDRESS_PREFIX}valoper`);
      const denied = addresses(flags.denyValidators, '--deny-validators', `${ADDRESS_PREFIX}valoper`);
      if (allowed.length > 0 && denied.length > 0)
        throw ainError(ErrInvalidRequest, '--allowed-validators and --deny-validators together; expected one of them');
      const maxTokens = flags.maxTokens ? coinsToProto(parseCoins(flags.maxTokens, '--max-tokens')) : [];
      if (maxTokens.length > 1) throw ainError(ErrInvalidRequest, `--max-tokens "${flags.maxTokens}" must be one coin, e.g. 1000uain`);
      const value = StakeAuthorization.fromPartial({
        authorizationType: type,
        ...(maxTokens[0] ? { maxTokens: maxTokens[0] } : {}),
        ...(denied.length > 0 ? { denyList: { address: denied } } : { allowList: { address: allowed } }),
      });
      return { typeUrl: StakeAuthorization.typeUrl, value: StakeAuthorization.encode(value).finish() };
    }
  }
}

/**
 * The messages of an exec file: a JSON list of messages in proto JSON (`{"@type", ...fields}`), or a
 * tx JSON (`{"body": {"messages": [...]}}`, as simd's `--generate-only` writes it).
 */
export function execFileMessages(text: string, file: string): Any[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw ainError(ErrInvalidRequest, `${file} is not JSON: ${(cause as Error).message}`);
  }
  const body = (json as { body?: { messages?: unknown } } | null)?.body;
  const list = Array.isArray(json) ? json : body?.messages;
  if (!Array.isArray(list) || list.length === 0)
    throw ainError(ErrInvalidRequest, `${file} must be a list of messages [{"@type", ...}] or a tx JSON with body.messages`);
  return list.map((message, i) => proposalMessage(message as Record<string, unknown>, i));
}

/**
 * The message of an authz tx command for `signer`.
 * @example authzTxMessages('grant', ['ain1...', 'send'], 'ain1...', { spendLimit: '1000uain' })
 */
export function authzTxMessages(command: AuthzTxCommand, args: readonly string[], signer: string, flags: AuthzTxFlags): EncodeObject[] {
  switch (command) {
    case 'grant': {
      const [grantee = '', kind = ''] = args;
      parseAddress(grantee, 'GRANTEE');
      let expiration: { seconds: bigint; nanos: number } | undefined;
      if (flags.expiration !== undefined) {
        if (!/^[0-9]{1,12}$/.test(flags.expiration))
          throw ainError(ErrInvalidRequest, `--expiration "${flags.expiration}" must be a time in unix seconds`);
        expiration = { seconds: BigInt(flags.expiration), nanos: 0 };
      }
      const grant = { authorization: authorizationOf(kind, flags), ...(expiration ? { expiration } : {}) };
      return [{ typeUrl: MsgGrant.typeUrl, value: MsgGrant.fromPartial({ granter: signer, grantee, grant }) }];
    }
    case 'exec': {
      const file = args[0] ?? '';
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (cause) {
        throw ainError(ErrInvalidRequest, `cannot read ${file}: ${(cause as Error).message}`);
      }
      return [{ typeUrl: MsgExec.typeUrl, value: MsgExec.fromPartial({ grantee: signer, msgs: execFileMessages(text, file) }) }];
    }
    case 'revoke': {
      const [grantee = '', msgTypeUrl = ''] = args;
      parseAddress(grantee, 'GRANTEE');
      if (!msgTypeUrl.startsWith('/'))
        throw ainError(ErrInvalidRequest, `MSG_TYPE "${msgTypeUrl}" must be a message type URL such as /cosmos.bank.v1beta1.MsgSend`);
      return [{ typeUrl: MsgRevoke.typeUrl, value: MsgRevoke.fromPartial({ granter: signer, grantee, msgTypeUrl }) }];
    }
  }
}

/** An authz tx command: builds its message for the `--from` key, signs, broadcasts and waits for the block. */
export function sendAuthzTx(
  options: SendOptions,
  command: AuthzTxCommand,
  args: readonly string[],
  flags: AuthzTxFlags,
): Promise<BroadcastOutcome> {
  return sendMessages(options, (signer) => authzTxMessages(command, args, signer, flags));
}
