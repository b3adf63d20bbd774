/**
 * The one error model of AIN Chain. Every error a user can cause is an `AinError` with a codespace and
 * a code taken from an append-only registry, so clients can match on (codespace, code) the way they do
 * with the Cosmos SDK. Codes are never renumbered or reused.
 */

export interface ErrorDefinition {
  readonly codespace: string;
  readonly code: number;
  readonly description: string;
  /**
   * The error says that what a request names does not exist (the SDK's `RegisterWithGRPCCode(...,
   * codes.NotFound, ...)`): the REST gateway answers it with HTTP 404 and gRPC NotFound.
   */
  readonly notFound?: true;
}

const registry = new Map<string, ErrorDefinition>();

/**
 * Registers an error code once; registering the same (codespace, code) twice is a programming error.
 * `notFound`: the error means a named thing does not exist (see `ErrorDefinition.notFound`).
 * @example const ErrJobNotFound = registerError('jobs', 3, 'job not found', { notFound: true });
 */
export function registerError(codespace: string, code: number, description: string, kind: { notFound?: true } = {}): ErrorDefinition {
  const key = `${codespace}/${code}`;
  if (registry.has(key)) throw new Error(`error ${key} registered twice`);
  if (code === 0) throw new Error('error code 0 is success');
  const definition = kind.notFound ? { codespace, code, description, notFound: true as const } : { codespace, code, description };
  registry.set(key, definition);
  return definition;
}

/** The registered definition of (codespace, code), if any: an error that came back over ABCI carries only those. */
export function registeredError(codespace: string, code: number): ErrorDefinition | undefined {
  return registry.get(`${codespace}/${code}`);
}

/** Every registered error, sorted by codespace then code (used by docs and the registry test). */
export function registeredErrors(): ErrorDefinition[] {
  return [...registry.values()].sort((a, b) => (a.codespace === b.codespace ? a.code - b.code : a.codespace < b.codespace ? -1 : 1));
}

export class AinError extends Error {
  readonly codespace: string;
  readonly code: number;
  readonly meta: Readonly<Record<string, unknown>>;

  constructor(definition: ErrorDefinition, detail?: string, meta: Record<string, unknown> = {}, cause?: unknown) {
    super(detail ? `${detail}: ${definition.description}` : definition.description, cause === undefined ? undefined : { cause });
    this.name = 'AinError';
    this.codespace = definition.codespace;
    this.code = definition.code;
    this.meta = meta;
  }

  /** True when this error is the given registered definition. */
  is(definition: ErrorDefinition): boolean {
    return this.codespace === definition.codespace && this.code === definition.code;
  }
}

/** Creates an error of the given definition; `detail` names the field and the expected value. */
export function ainError(definition: ErrorDefinition, detail?: string, meta?: Record<string, unknown>): AinError {
  return new AinError(definition, detail, meta);
}

// Codespace `sdk`: the Cosmos SDK's own codes, kept identical so wallets and explorers understand them.
export const SDK = 'sdk';
export const ErrTxDecode = registerError(SDK, 2, 'tx parse error');
export const ErrInvalidSequence = registerError(SDK, 3, 'invalid sequence');
export const ErrUnauthorized = registerError(SDK, 4, 'unauthorized');
export const ErrInsufficientFunds = registerError(SDK, 5, 'insufficient funds');
export const ErrUnknownRequest = registerError(SDK, 6, 'unknown request');
export const ErrInvalidAddress = registerError(SDK, 7, 'invalid address');
export const ErrInvalidPubKey = registerError(SDK, 8, 'invalid pubkey');
export const ErrUnknownAddress = registerError(SDK, 9, 'unknown address');
export const ErrInvalidCoins = registerError(SDK, 10, 'invalid coins');
export const ErrOutOfGas = registerError(SDK, 11, 'out of gas');
export const ErrMemoTooLarge = registerError(SDK, 12, 'memo too large');
export const ErrInsufficientFee = registerError(SDK, 13, 'insufficient fee');
export const ErrTooManySignatures = registerError(SDK, 14, 'maximum number of signatures exceeded');
export const ErrNoSignatures = registerError(SDK, 15, 'no signatures supplied');
export const ErrJSONMarshal = registerError(SDK, 16, 'failed to marshal JSON bytes');
export const ErrJSONUnmarshal = registerError(SDK, 17, 'failed to unmarshal JSON bytes');
export const ErrInvalidRequest = registerError(SDK, 18, 'invalid request');
export const ErrTxInMempoolCache = registerError(SDK, 19, 'tx already in mempool');
export const ErrMempoolIsFull = registerError(SDK, 20, 'mempool is full');
export const ErrTxTooLarge = registerError(SDK, 21, 'tx too large');
export const ErrKeyNotFound = registerError(SDK, 22, 'key not found', { notFound: true });
export const ErrWrongPassword = registerError(SDK, 23, 'invalid account password');
export const ErrorInvalidSigner = registerError(SDK, 24, 'tx intended signer does not match the given signer');
export const ErrorInvalidGasAdjustment = registerError(SDK, 25, 'invalid gas adjustment');
export const ErrInvalidHeight = registerError(SDK, 26, 'invalid height');
export const ErrInvalidVersion = registerError(SDK, 27, 'invalid version');
export const ErrInvalidChainID = registerError(SDK, 28, 'invalid chain-id');
export const ErrInvalidType = registerError(SDK, 29, 'invalid type');
export const ErrTxTimeoutHeight = registerError(SDK, 30, 'tx timeout height');
export const ErrUnknownExtensionOptions = registerError(SDK, 31, 'unknown extension options');
export const ErrWrongSequence = registerError(SDK, 32, 'incorrect account sequence');
export const ErrPackAny = registerError(SDK, 33, 'failed packing protobuf message to Any');
export const ErrUnpackAny = registerError(SDK, 34, 'failed unpacking protobuf message from Any');
export const ErrLogic = registerError(SDK, 35, 'internal logic error');
export const ErrConflict = registerError(SDK, 36, 'conflict');
export const ErrNotSupported = registerError(SDK, 37, 'feature not supported');
export const ErrNotFound = registerError(SDK, 38, 'not found', { notFound: true });
export const ErrIO = registerError(SDK, 39, 'Internal IO error');
export const ErrAppConfig = registerError(SDK, 40, 'error in app.toml');
export const ErrInvalidGasLimit = registerError(SDK, 41, 'invalid gas limit');
export const ErrPanic = registerError(SDK, 111222, 'panic');
