/**
 * The ainft README's "Reproducible" rules as a model, for the re-run fuzz test
 * (test/app/fuzzAinftReruns.test.ts): tokens (from a job or not), the re-runs asked of them, what a
 * MsgRequestRerun should answer, and each re-run's outcome when its job market request closes:
 * reproduced by hash (the accepted result hash is the token's weights hash), reproduced by score
 * (the token's `reproduce.score_field` within `tolerance` of the original accepted output's),
 * not reproduced, or unfinished (`how` = the jobs outcome). A token counts the outcomes of its own
 * re-runs only: one burnt before its re-run settles counts nothing, nor does a token minted later
 * with the same id. Written from the README, not from modules/ainft/reruns.ts.
 */
import { createHash } from 'node:crypto';

export const hashOf = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** A decimal JSON number (no exponent) as 18-digit fixed point; undefined when not a number. */
export function fixedPoint(value: unknown): bigint | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : undefined;
  const match = text === undefined ? null : /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(text);
  if (!match) return undefined;
  const atomics = BigInt(`${match[2]}${(match[3] ?? '').padEnd(18, '0').slice(0, 18)}`);
  return match[1] === '-' ? -atomics : atomics;
}

/** The number at `field` of an inline JSON output; outputs in Big Storage (empty text) have none. */
function scoreOf(output: string, field: string): bigint | undefined {
  if (output === '') return undefined;
  try {
    return fixedPoint((JSON.parse(output) as Record<string, unknown>)[field]);
  } catch {
    return undefined;
  }
}

/** A worker's result: inline JSON text, or only a Big Storage hash. */
export interface Output {
  output: string;
  outputHash: string;
}
export const resultHash = (r: Output): string => (r.outputHash !== '' ? r.outputHash : hashOf(r.output));

export interface Counts {
  reproduced: number;
  notReproduced: number;
  unfinished: number;
  pending: number;
}

export interface ModelToken {
  label: string;
  /** Mint number: a token minted again with a burnt one's id is another token. */
  serial: number;
  owner: string;
  weightsHash: string;
  /** The job request it was minted from (0 when none). */
  fromJob: bigint;
  /** That request's accepted output. */
  original: Output | undefined;
  reproduce: { scoreField: string; tolerance: bigint } | undefined;
  counts: Counts;
}

export type Outcome = 'pending' | 'reproduced' | 'not_reproduced' | 'unfinished';

export interface ModelRerun {
  requestId: bigint;
  label: string;
  /** The token that asked (its serial), as it was when it asked. */
  token: ModelToken;
  payer: string;
  status: Outcome;
  how: string;
  resultHash: string;
  requestedAt: bigint;
  settledAt: bigint;
}

export interface RerunEvent {
  type: 'requested' | 'settled';
  attributes: Record<string, string>;
}

const split = (label: string) => ({ classId: label.split('/')[0]!, id: label.split('/')[1]! });

export class RerunsModel {
  readonly tokens = new Map<string, ModelToken>();
  readonly reruns = new Map<bigint, ModelRerun>();
  private serials = 0;

  mint(
    label: string,
    owner: string,
    weightsHash: string,
    fromJob: bigint,
    original: Output | undefined,
    reproduce?: ModelToken['reproduce'],
  ) {
    this.serials += 1;
    const counts = { reproduced: 0, notReproduced: 0, unfinished: 0, pending: 0 };
    this.tokens.set(label, { label, serial: this.serials, owner, weightsHash, fromJob, original, reproduce, counts });
  }

  burn(label: string): void {
    this.tokens.delete(label);
  }

  transfer(label: string, to: string): void {
    this.tokens.get(label)!.owner = to;
  }

  /** The refusal a MsgRequestRerun of `label` gets for reasons of the token alone (before the job market's checks). */
  tokenRefusal(label: string): string | undefined {
    const token = this.tokens.get(label);
    return !token ? 'ainft/5' : token.fromJob === 0n ? 'ainft/17' : undefined;
  }

  requested(requestId: bigint, label: string, payer: string, jobId: bigint, now: bigint): RerunEvent {
    const token = this.tokens.get(label)!;
    token.counts.pending += 1;
    this.reruns.set(requestId, {
      requestId,
      label,
      token: { ...token, counts: token.counts },
      payer,
      status: 'pending',
      how: '',
      resultHash: '',
      requestedAt: now,
      settledAt: 0n,
    });
    const { classId, id } = split(label);
    return { type: 'requested', attributes: { class_id: classId, id, request_id: `${requestId}`, job_id: `${jobId}`, payer } };
  }

  /**
   * The re-run's request closed: `accepted` is the ranked-first worker's result when it completed;
   * `jobsOutcome` the jobs module's outcome otherwise. Judged against the token that asked.
   */
  closed(requestId: bigint, accepted: Output | undefined, jobsOutcome: string, now: bigint): RerunEvent | undefined {
    const rerun = this.reruns.get(requestId);
    if (rerun?.status !== 'pending') return undefined;
    const asked = rerun.token;
    if (!accepted) {
      rerun.status = 'unfinished';
      rerun.how = jobsOutcome;
    } else {
      rerun.resultHash = resultHash(accepted);
      rerun.status = 'not_reproduced';
      if (rerun.resultHash === asked.weightsHash) {
        rerun.status = 'reproduced';
        rerun.how = 'hash';
      } else if (asked.reproduce && asked.original) {
        const before = scoreOf(asked.original.output, asked.reproduce.scoreField);
        const after = scoreOf(accepted.output, asked.reproduce.scoreField);
        if (
          before !== undefined &&
          after !== undefined &&
          (before > after ? before - after : after - before) <= asked.reproduce.tolerance
        ) {
          rerun.status = 'reproduced';
          rerun.how = 'score';
        }
      }
    }
    rerun.settledAt = now;
    // Counted on the token that asked only while it lives (not on one minted again with its id).
    const token = this.tokens.get(rerun.label);
    if (token && token.serial === asked.serial) {
      token.counts.pending -= 1;
      if (rerun.status === 'reproduced') token.counts.reproduced += 1;
      else if (rerun.status === 'not_reproduced') token.counts.notReproduced += 1;
      else token.counts.unfinished += 1;
    }
    const { classId, id } = split(rerun.label);
    return {
      type: 'settled',
      attributes: {
        class_id: classId,
        id,
        request_id: `${requestId}`,
        outcome: rerun.status,
        how: rerun.how,
        result_hash: rerun.resultHash,
      },
    };
  }

  /** The re-runs of the live token at `label`: the index `/ainft/token_reruns/<class>/<id>/` should list exactly these. */
  rerunsOf(label: string): bigint[] {
    const token = this.tokens.get(label);
    return [...this.reruns.values()].filter((r) => token && r.label === label && r.token.serial === token.serial).map((r) => r.requestId);
  }
}
