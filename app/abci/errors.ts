/**
 * Errors of the ABCI socket layer: transport failures between CometBFT and the app (a bad frame, a
 * handler that threw), not user mistakes; they never reach a transaction result.
 */
import { AinError, type ErrorDefinition, registerError } from '../../core/index.ts';

/** What went wrong on an ABCI connection. Tests match on these, never on messages. */
export type AbciErrorCode =
  /** A length prefix announced a frame above the configured maximum. */
  | 'FRAME_TOO_LARGE'
  /** A length prefix was not a valid unsigned 64-bit varint (more than 10 bytes, or overflow). */
  | 'MALFORMED_VARINT'
  /** A frame's body did not decode as a `tendermint.abci.Request`. */
  | 'MALFORMED_REQUEST'
  /** A request had no (or an unknown) oneof field set. */
  | 'UNKNOWN_REQUEST'
  /** The application's handler threw, rejected, or returned a response that could not be encoded. */
  | 'HANDLER_FAILED';

const ABCI = 'abci';
/** The registered (codespace `abci`, code) of each reason; append-only like every registry. */
const DEFINITIONS: Readonly<Record<AbciErrorCode, ErrorDefinition>> = {
  FRAME_TOO_LARGE: registerError(ABCI, 1, 'frame too large'),
  MALFORMED_VARINT: registerError(ABCI, 2, 'malformed frame length'),
  MALFORMED_REQUEST: registerError(ABCI, 3, 'malformed request'),
  UNKNOWN_REQUEST: registerError(ABCI, 4, 'unknown request type'),
  HANDLER_FAILED: registerError(ABCI, 5, 'handler failed'),
};

/**
 * An error of the ABCI socket layer: the project's one error class (`AinError`, codespace `abci`)
 * with the failure's string `reason` for tests and logs. The message is the detail alone, since it
 * is what CometBFT logs when it stops.
 *
 * @example
 * try { decoder.push(chunk) } catch (e) { if (e instanceof AbciError && e.reason === 'FRAME_TOO_LARGE') ... }
 */
export class AbciError extends AinError {
  readonly reason: AbciErrorCode;

  constructor(reason: AbciErrorCode, message: string, meta: Record<string, unknown> = {}, cause?: unknown) {
    super(DEFINITIONS[reason], undefined, meta, cause);
    this.message = message;
    this.name = 'AbciError';
    this.reason = reason;
  }
}
