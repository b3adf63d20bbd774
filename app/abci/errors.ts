/**
 * Errors of the ABCI socket layer. These are transport failures between CometBFT and the app (a bad
 * frame, a handler that threw), not user mistakes, so they carry a string code rather than a
 * registered (codespace, code) pair from `app/errors.ts`: they never reach a transaction result.
 */

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

/**
 * An error of the ABCI socket layer: a short message, a string `code`, structured `meta` and an
 * optional `cause`.
 *
 * @example
 * try { decoder.push(chunk) } catch (e) { if (e instanceof AbciError && e.code === 'FRAME_TOO_LARGE') ... }
 */
export class AbciError extends Error {
  readonly code: AbciErrorCode;
  readonly meta: Readonly<Record<string, unknown>>;

  constructor(code: AbciErrorCode, message: string, meta: Record<string, unknown> = {}, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'AbciError';
    this.code = code;
    this.meta = meta;
  }
}
