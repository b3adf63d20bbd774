/**
 * Errors the client throws. They are `AinError`s, the project's one error class, so a caller matches
 * `codespace` and `code` exactly as the chain reports them (e.g. `sdk/5` insufficient funds), whether
 * the refusal came from a simulation, CheckTx, block execution or a query.
 */
import { AinError } from '../core/index.ts';

/** Where a transaction was refused: gas simulation, CheckTx (mempool), or execution in a block. */
export type TxStage = 'simulate' | 'check' | 'deliver';

/** What the chain said about a refused transaction. */
export interface TxErrorDetails {
  readonly code: number;
  readonly codespace: string;
  /** The chain's log: what was refused and why (for a write rule, the rule's path and expression). */
  readonly log: string;
  readonly stage: TxStage;
  /** Hex tx hash (upper case); undefined for a refused simulation, which has no signed tx. */
  readonly txhash?: string | undefined;
  /** Block height of a tx that failed in a block; 0 otherwise. */
  readonly height?: number | undefined;
  readonly gasWanted?: bigint | undefined;
  readonly gasUsed?: bigint | undefined;
}

/**
 * A transaction the chain refused (non-zero code). `message` is the chain's log.
 * @example
 * try { await ref.setValue('hi'); } catch (e) { if (e instanceof TxError && e.codespace === 'sdk' && e.code === 4) ... }
 */
export class TxError extends AinError {
  readonly log: string;
  readonly stage: TxStage;
  readonly txhash: string | undefined;
  readonly height: number;
  readonly gasWanted: bigint;
  readonly gasUsed: bigint;

  constructor(details: TxErrorDetails) {
    const description = details.log || `transaction refused with ${details.codespace}/${details.code}`;
    super({ codespace: details.codespace, code: details.code, description }, undefined, {
      stage: details.stage,
      ...(details.txhash === undefined ? {} : { txhash: details.txhash }),
    });
    this.name = 'TxError';
    this.log = details.log;
    this.stage = details.stage;
    this.txhash = details.txhash;
    this.height = details.height ?? 0;
    this.gasWanted = details.gasWanted ?? 0n;
    this.gasUsed = details.gasUsed ?? 0n;
  }
}

/** What the node said about a refused ABCI query. */
export interface QueryErrorDetails {
  readonly code: number;
  readonly codespace: string;
  readonly log: string;
  /** The ABCI query path, e.g. `/ain.state.v1.Query/Get`. */
  readonly path: string;
  /** The height asked for (0 = latest). */
  readonly height: number;
}

/**
 * An ABCI query the node answered with a non-zero code, e.g. `sdk/26` for a height it does not keep.
 * @example
 * try { await ref.get({ height: 5 }); } catch (e) { if (e instanceof QueryError && e.code === 26) ... }
 */
export class QueryError extends AinError {
  readonly log: string;
  readonly path: string;
  readonly height: number;

  constructor(details: QueryErrorDetails) {
    const description = details.log || `query ${details.path} refused with ${details.codespace}/${details.code}`;
    super({ codespace: details.codespace, code: details.code, description }, undefined, { path: details.path, height: details.height });
    this.name = 'QueryError';
    this.log = details.log;
    this.path = details.path;
    this.height = details.height;
  }
}
