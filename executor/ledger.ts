/**
 * The function runner's book of calls (`CallLedger`): the cursor file `{height, finished}` (the last
 * height processed and the ids of the newest calls this executor is done with, so a restart never runs
 * one again; written to a temp file and renamed), the finished-call set it persists, the transient
 * failures counted per call (`MAX_ATTEMPTS`), when and at which height each call was first heard of,
 * and the outcomes reported so far. `finish` is the one place a call is settled.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describeError as describe } from './errors.ts';
import type { CallOutcome } from './options.ts';

/** Transient failures (storage down, broadcast errors) of one call before it is reported failed. */
export const MAX_ATTEMPTS = 5;
/** Finished call ids kept in the cursor file. */
const MAX_REMEMBERED_CALLS = 10_000;

/**
 * The calls one executor has heard of, is done with, and the cursor file that remembers them.
 * @example
 * const ledger = new CallLedger('/home/executor-cursor.json', log);
 * ledger.heardOf(7n, 120);
 * ledger.finish(7n, 'submitted', '{"ok":true}', txhash);
 * ledger.save(120);
 */
export class CallLedger {
  /** Outcomes so far, in order. */
  readonly outcomes: CallOutcome[] = [];
  /** Calls this executor is finished with (submitted, refused, or not for it). */
  private readonly finished = new Set<bigint>();
  private readonly attempts = new Map<bigint, number>();
  /** When and at which height each call in progress was first heard of. */
  private readonly heard = new Map<bigint, { height: number; receivedAt: number }>();
  private cursor = 0;

  constructor(
    private readonly file: string | undefined,
    private readonly log: (line: string) => void,
  ) {
    const saved = readCursor(file);
    this.cursor = saved.height;
    for (const id of saved.finished) this.finished.add(id);
  }

  /** The last height processed. */
  get height(): number {
    return this.cursor;
  }

  isFinished(callId: bigint): boolean {
    return this.finished.has(callId);
  }

  /** Notes when (now) and at which height a call was first heard of, for its outcome. */
  heardOf(callId: bigint, height: number): void {
    this.heard.set(callId, { height, receivedAt: Date.now() });
  }

  /** Counts one more transient failure of a call; returns the count so far. */
  attempt(callId: bigint): number {
    const attempts = (this.attempts.get(callId) ?? 0) + 1;
    this.attempts.set(callId, attempts);
    return attempts;
  }

  /** Settles a call: finished, its outcome recorded and logged. */
  finish(callId: bigint, kind: CallOutcome['kind'], detail: string, txhash?: string): void {
    this.finished.add(callId);
    this.attempts.delete(callId);
    const heard = this.heard.get(callId) ?? { height: 0, receivedAt: Date.now() };
    this.heard.delete(callId);
    this.outcomes.push({ callId, kind, detail, ...heard, ...(txhash === undefined ? {} : { txhash }) });
    this.log(`call ${callId}: ${kind}${txhash ? ` (tx ${txhash})` : ''}: ${detail.slice(0, 200)}`);
  }

  /** Moves the cursor up to `height` (never down) and writes the cursor file, if there is one. */
  save(height: number): void {
    this.cursor = Math.max(this.cursor, height);
    const file = this.file;
    if (!file) return;
    // The finished set is bounded: calls older than the newest MAX_REMEMBERED are past any deadline.
    while (this.finished.size > MAX_REMEMBERED_CALLS) this.finished.delete(this.finished.values().next().value as bigint);
    try {
      mkdirSync(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, `${JSON.stringify({ height: this.cursor, finished: [...this.finished].map(String) })}\n`);
      renameSync(temp, file);
    } catch (error) {
      this.log(`cannot write cursor ${file}: ${describe(error)}`);
    }
  }
}

function readCursor(file: string | undefined): { height: number; finished: bigint[] } {
  const empty = { height: 0, finished: [] };
  if (!file) return empty;
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { height?: unknown; finished?: unknown };
    const height = typeof parsed.height === 'number' && Number.isSafeInteger(parsed.height) && parsed.height >= 0 ? parsed.height : 0;
    const finished = Array.isArray(parsed.finished)
      ? parsed.finished.filter((id): id is string => typeof id === 'string' && /^\d{1,20}$/.test(id)).map(BigInt)
      : [];
    return { height, finished: finished.slice(-MAX_REMEMBERED_CALLS) };
  } catch {
    return empty;
  }
}
