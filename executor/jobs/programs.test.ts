import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../home/index.ts';
import { CALCULATE_ROOT_SCHEMA } from '../../test/helpers/jobsTestdata.ts';
import { Job, Request } from '../../proto/gen/ain/jobs/v1/types.ts';
import { ainError } from '../../core/index.ts';
import { blobHash, ErrStorageNotFound } from '../../storage/index.ts';
import { evaluatorInput, rankingOf, runEvaluatorProgram, runWorkerProgram } from './programs.ts';

const EXAMPLE = join(REPO_ROOT, 'examples', 'jobs', 'calculate_root');
const WORKER = readFileSync(join(EXAMPLE, 'worker.py'));
const EVALUATOR = readFileSync(join(EXAMPLE, 'evaluator.py'));
const LIMITS = { timeoutMs: 20_000, memoryMb: 256, maxOutputBytes: 1 << 20 };
const [A, B, C] = ['ain1aaa', 'ain1bbb', 'ain1ccc'];

const job = Job.fromPartial({
  id: 1n,
  name: 'calculate root',
  schema: CALCULATE_ROOT_SCHEMA,
  workerRpc: 'Worker.CalculateRoot',
  evaluatorRpc: 'Evaluator.EvaluateRoot',
  inputType: 'Request',
  outputType: 'WorkerReply',
  runtime: 'python3',
});

const revealed = (worker: string, output: string, outputHash = '') => ({ worker, output, outputHash, revealedAt: 100n, commitment: 'c' });
const request = (results: ReturnType<typeof revealed>[], extra: Partial<Request> = {}) =>
  Request.fromPartial({ id: 7n, jobId: 1n, input: '{"y":4}', status: 'evaluating', results, ...extra });
const noBlobs = async (hash: string): Promise<Uint8Array> => {
  throw new Error(`no blob ${hash}`);
};

describe('job programs', () => {
  it("reads the ranking from the evaluator rpc's reply type, keeping only workers that revealed, each once", () => {
    expect(rankingOf(job, { node: [B, A, 'ain1stranger', B] }, [A, B])).toEqual({ ranking: [B, A], dropped: ['ain1stranger', B] });
    expect(() => rankingOf(job, { nodes: [A] }, [A])).toThrow(expect.objectContaining({ codespace: 'executor', code: 4 }));
    expect(() => rankingOf(job, { node: 'ain1aaa' }, [A])).toThrow(/evaluation\.node/);
  });

  it('reads a ranking field named like an Object.prototype member that the reply leaves out as empty', () => {
    const odd = Job.fromPartial({
      ...job,
      schema: 'message Reply { repeated string constructor = 1; }\nservice Evaluator { rpc Rank (Reply) returns (Reply) {} }',
      evaluatorRpc: '',
    });
    expect(rankingOf(odd, {}, [A])).toEqual({ ranking: [], dropped: [] });
    expect(rankingOf(odd, { constructor: [A] }, [A])).toEqual({ ranking: [A], dropped: [] });
  });

  it('gives the evaluator the input, the revealed outputs (inline or from storage by hash) and the test data', async () => {
    const stored = new TextEncoder().encode('{"x":1.5}');
    const hash = blobHash(stored);
    const fetch = async (h: string) => {
      if (h !== hash) throw new Error(`no blob ${h}`);
      return stored;
    };
    const unrevealed = { ...revealed(C, ''), revealedAt: 0n };
    const input = await evaluatorInput(request([revealed(A, '{"x":2}'), revealed(B, '', hash), unrevealed], { testData: '[1]' }), fetch);
    expect(input).toEqual({
      request: { y: 4 },
      workers: [
        { node: A, response: { x: 2 } },
        { node: B, response: { x: 1.5 } },
      ],
      test_data: [1],
    });
  });

  it('leaves out a worker whose output by hash is not JSON or not in storage, instead of failing the evaluation', async () => {
    const garbage = new TextEncoder().encode('not json');
    const garbageHash = blobHash(garbage);
    const missingHash = 'ab'.repeat(32);
    const fetch = async (h: string) => {
      if (h === garbageHash) return garbage;
      throw ainError(ErrStorageNotFound, `no blob ${h}`);
    };
    const input = await evaluatorInput(
      request([revealed(A, '', garbageHash), revealed(B, '', missingHash), revealed(C, '{"x":2}')]),
      fetch,
    );
    expect(input).toEqual({ request: { y: 4 }, workers: [{ node: C, response: { x: 2 } }], test_data: null });
    // Storage that cannot be reached is not the worker's fault: the step is tried again.
    await expect(evaluatorInput(request([revealed(B, '', missingHash)]), noBlobs)).rejects.toThrow(/no blob/);
  });

  it("ranks without test data a client revealed by hash that is not JSON or not in storage (the evaluator's deposit stays safe)", async () => {
    const garbage = new TextEncoder().encode('not json');
    const garbageHash = blobHash(garbage);
    const fetch = async (h: string) => {
      if (h === garbageHash) return garbage;
      throw ainError(ErrStorageNotFound, `no blob ${h}`);
    };
    for (const testDataHash of [garbageHash, 'cd'.repeat(32)]) {
      const input = await evaluatorInput(request([revealed(C, '{"x":2}')], { testDataHash }), fetch);
      expect(input).toEqual({ request: { y: 4 }, workers: [{ node: C, response: { x: 2 } }], test_data: null });
    }
  });

  it("runs the paper's worker: a guess of the root that fits the output type", async () => {
    const run = await runWorkerProgram({ job, request: request([], { status: 'running' }), code: WORKER, fetch: noBlobs, limits: LIMITS });
    expect(run.ok).toBe(true);
    if (!run.ok) return;
    const { x } = JSON.parse(run.output) as { x: number };
    expect(x).toBeGreaterThan(0);
    expect(x).toBeLessThanOrEqual(4);
  });

  it('refuses what a garbage worker prints: not JSON, or JSON that is not the output type', async () => {
    const notJson = new TextEncoder().encode('print("two, roughly")\n');
    const wrongType = new TextEncoder().encode('import json\nprint(json.dumps({"x": "two"}))\n');
    const run = (code: Uint8Array) =>
      runWorkerProgram({ job, request: request([], { status: 'running' }), code, fetch: noBlobs, limits: LIMITS });
    expect(await run(notJson)).toMatchObject({ ok: false, reason: expect.stringMatching(/^bad-output/) });
    expect(await run(wrongType)).toMatchObject({ ok: false, reason: expect.stringMatching(/output\.x: expected a number/) });
  });

  it("runs the paper's evaluator: closest |x*x - y| first, a worker whose x is not a number dropped", async () => {
    const results = [revealed(A, '{"x":2.1}'), revealed(B, '{"x":1.99}'), revealed(C, '{"x":"NaN"}')];
    const run = await runEvaluatorProgram({ job, request: request(results), code: EVALUATOR, fetch: noBlobs, limits: LIMITS });
    expect(run).toMatchObject({ ok: true, ranking: [B, A], dropped: [] });
  });

  it('reports an evaluator that fails instead of ranking', async () => {
    const crash = new TextEncoder().encode('raise SystemExit("no ranking today")\n');
    const run = await runEvaluatorProgram({ job, request: request([revealed(A, '{"x":2}')]), code: crash, fetch: noBlobs, limits: LIMITS });
    expect(run).toMatchObject({ ok: false, reason: expect.stringMatching(/^exit \(exit 1\): no ranking today/) });
  });
});
