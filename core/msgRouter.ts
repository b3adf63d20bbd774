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
