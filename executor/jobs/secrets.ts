/**
 * What a worker must keep between its commitment and its reveal: the salt and the output it
 * committed to, per request. Written to a file (temp + rename) before the commitment is broadcast,
 * so an executor restarted in between still reveals; without a file they live in memory only.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { SALT_PATTERN } from '../../modules/jobs/index.ts';

/** Most commitments remembered (the oldest are forgotten first; they are long past any reveal window). */
export const MAX_SECRETS = 1000;

export interface CommitSecret {
  readonly salt: string;
  /** The output JSON text, or "" when it went to Big Storage. */
  readonly output: string;
  /** The output's Big Storage hash, or "". */
  readonly outputHash: string;
}

/**
 * Commit secrets by request id.
 * @example const secrets = new CommitSecrets(join(home, 'executor-jobs.json')); secrets.put(7n, { salt, output, outputHash: '' });
 */
export class CommitSecrets {
  private readonly byRequest = new Map<string, CommitSecret>();

  constructor(private readonly file?: string) {
    if (!file) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      return;
    }
    const requests = (parsed as { requests?: unknown } | null)?.requests;
    if (!requests || typeof requests !== 'object') return;
    for (const [id, value] of Object.entries(requests as Record<string, unknown>)) {
      const secret = value as Partial<CommitSecret> | null;
      if (
        /^\d{1,20}$/.test(id) &&
        typeof secret?.salt === 'string' &&
        SALT_PATTERN.test(secret.salt) &&
        typeof secret.output === 'string' &&
        typeof secret.outputHash === 'string'
      )
        this.byRequest.set(id, { salt: secret.salt, output: secret.output, outputHash: secret.outputHash });
    }
  }

  get(requestId: bigint): CommitSecret | undefined {
    return this.byRequest.get(requestId.toString());
  }

  /** Remembers a commitment's secret and writes the file (throws when it cannot: do not commit then). */
  put(requestId: bigint, secret: CommitSecret): void {
    this.byRequest.delete(requestId.toString());
    this.byRequest.set(requestId.toString(), secret);
    while (this.byRequest.size > MAX_SECRETS) this.byRequest.delete(this.byRequest.keys().next().value as string);
    this.save();
  }

  /** Forgets a request's secret (revealed, or the request moved on). */
  delete(requestId: bigint): void {
    if (this.byRequest.delete(requestId.toString())) this.save();
  }

  /** Request ids with a secret. */
  ids(): bigint[] {
    return [...this.byRequest.keys()].map(BigInt);
  }

  private save(): void {
    if (!this.file) return;
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ requests: Object.fromEntries(this.byRequest) })}\n`, { mode: 0o600 });
    renameSync(temp, this.file);
  }
}
