import type { Any } from 'cosmjs-types/google/protobuf/any';
import type { Context } from './context.ts';
import { ainError, ErrTxDecode, ErrUnknownRequest } from './errors.ts';

/**
 * How the app runs one message type. `validateBasic` is stateless (run before any state is read),
 * `signers` names the addresses that must sign, `handle` changes state through keepers and returns
 * the message's response for `TxMsgData`.
 */
export interface MsgHandler<T> {
  readonly typeUrl: string;
  /** Module name for the `message.module` event attribute. */
  readonly module: string;
  decode(bytes: Uint8Array): T;
  validateBasic(msg: T): void;
  signers(msg: T): string[];
  handle(ctx: Context, msg: T): Any;
}

/** A decoded message with its handler. */
export interface RoutedMsg {
  readonly typeUrl: string;
  readonly msg: unknown;
  readonly handler: MsgHandler<unknown>;
}

export class MsgRouter {
  private readonly handlers = new Map<string, MsgHandler<unknown>>();

  register<T>(handler: MsgHandler<T>): void {
    if (this.handlers.has(handler.typeUrl)) throw new Error(`message ${handler.typeUrl} registered twice`);
    this.handlers.set(handler.typeUrl, handler as MsgHandler<unknown>);
  }

  typeUrls(): string[] {
    return [...this.handlers.keys()].sort();
  }

  /** Decodes and statelessly validates one message of a tx. */
  route(any: Any, index: number): RoutedMsg {
    const handler = this.handlers.get(any.typeUrl);
    if (!handler) {
      throw ainError(
        ErrUnknownRequest,
        `message ${index} has unknown type "${any.typeUrl}"; expected one of ${this.typeUrls().join(', ')}`,
      );
    }
    let msg: unknown;
    try {
      msg = handler.decode(any.value);
    } catch (cause) {
      throw ainError(ErrTxDecode, `message ${index} (${any.typeUrl}) does not decode: ${(cause as Error).message}`);
    }
    handler.validateBasic(msg);
    return { typeUrl: any.typeUrl, msg, handler };
  }
}

/** What `msgHandler` needs of a message codec: ts-proto's (`$type`) or cosmjs-types' (`typeUrl`). */
export interface MsgCodec<T> {
  readonly $type?: string;
  readonly typeUrl?: string;
  decode(bytes: Uint8Array): T;
  encode(message: T): { finish(): Uint8Array };
  fromPartial(object: object): T;
}

const typeUrlOf = (codec: MsgCodec<unknown>): string => {
  const url = codec.typeUrl ?? (codec.$type === undefined ? undefined : `/${codec.$type}`);
  if (url === undefined) throw new Error('message codec has neither $type nor typeUrl');
  return url;
};

/**
 * The one way a module defines a message handler: decode with the message's codec, check it
 * statelessly, name its signers, and call the keeper; what the keeper returns fills the response.
 * @example msgHandler({ module: 'jobs', msg: MsgRankCodec, response: MsgRankResponse, validateBasic, signers: (m) => [m.signer], handle: (ctx, m) => keeper.rank(ctx, m) })
 */
export function msgHandler<T, R>(spec: {
  readonly module: string;
  readonly msg: MsgCodec<T>;
  readonly response: MsgCodec<R>;
  readonly validateBasic: (msg: T) => unknown;
  readonly signers: (msg: T) => string[];
  readonly handle: (ctx: Context, msg: T) => unknown;
}): MsgHandler<T> {
  const responseTypeUrl = typeUrlOf(spec.response as MsgCodec<unknown>);
  return {
    typeUrl: typeUrlOf(spec.msg as MsgCodec<unknown>),
    module: spec.module,
    decode: (bytes) => spec.msg.decode(bytes),
    validateBasic: (msg) => {
      spec.validateBasic(msg);
    },
    signers: spec.signers,
    handle(ctx, msg): Any {
      const answer = spec.handle(ctx, msg);
      const fields = typeof answer === 'object' && answer !== null ? answer : {};
      return { typeUrl: responseTypeUrl, value: spec.response.encode(spec.response.fromPartial(fields)).finish() };
    },
  };
}

/**
 * `msgHandler` for a module whose messages are each signed by their one `signer` field: the
 * factory most modules' `msg_server.ts` start from.
 * @example const handler = signerMsgHandler('jobs'); handler(MsgRank, MsgRankResponse, validateMsgRank, (ctx, m) => keeper.rank(ctx, m))
 */
export function signerMsgHandler(module: string) {
  return <T extends { signer: string }, R>(
    msg: MsgCodec<T>,
    response: MsgCodec<R>,
    validateBasic: (msg: T) => unknown,
    handle: (ctx: Context, msg: T) => unknown,
  ): MsgHandler<T> => msgHandler({ module, msg, response, validateBasic, signers: (m) => [m.signer], handle });
}
