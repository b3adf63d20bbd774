import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ConsoleContext,
  jobNameOf,
  parseRequestJob,
  registerJob,
  relaxedJson,
  requirementsOf,
  runConsoleLine,
  runtimeOf,
} from './handler.ts';

const printed: string[] = [];
const context: ConsoleContext = {
  home: '/nonexistent-home',
  from: 'alice',
  node: 'tcp://127.0.0.1:1',
  storage: 'http://127.0.0.1:1',
  print: (line) => printed.push(line),
};

describe('aind console', () => {
  it("reads the paper's requestJob line: unquoted keys, reward [worker, evaluator], time_limit in milliseconds", () => {
    expect(parseRequestJob('{job_id: 1, job_input: {y: 4}, reward: [10, 10], time_limit: 3000}')).toMatchObject({
      jobId: '1',
      input: '{"y":4}',
      reward: '10',
      evaluatorReward: '10',
      timeLimit: '3',
    });
    const terms = parseRequestJob(
      '{"job_id": 2, "job_input": {"train": []}, "reward": 30, "time_limit": 1500, "evaluator_node": ["e1"], "worker_node": ["w1", "w2"], "reward_function": "ranked-weights", "reward_weights": [3, 2, 1], "test_data": {"points": []}}',
    );
    expect(terms).toMatchObject({
      jobId: '2',
      reward: '30',
      evaluatorReward: undefined,
      timeLimit: '2',
      evaluators: 'e1',
      workers: 'w1,w2',
      weights: '3,2,1',
      testData: '{"points":[]}',
    });
  });

  it('refuses requestJob terms it cannot use, naming the key', () => {
    expect(() => parseRequestJob('{job_id: 1, job_input: {}, reward: [10, 10], colour: "red"}')).toThrow(/unknown key colour/);
    expect(() => parseRequestJob('{job_id: 1, reward: [10]}')).toThrow(/job_input is required/);
    expect(() => parseRequestJob('{job_id: 1, job_input: {}, reward: [1, 2, 3]}')).toThrow(/reward must be \[worker, evaluator\]/);
    expect(() => parseRequestJob('{job_id: 1, job_input: {}, reward: 1, time_limit: -5}')).toThrow(/time_limit must be a positive integer/);
    expect(() => parseRequestJob('{job_id: 1, job_input: {}, reward: 1, worker_node: "w1"}')).toThrow(/worker_node must be a list/);
    expect(() => parseRequestJob('[1]')).toThrow(/takes an object/);
  });

  it('quotes bare keys only outside strings', () => {
    expect(relaxedJson('{a: "b: c", d_1: [true, null], "e": {f: -1.5}}', 'x')).toEqual({ a: 'b: c', d_1: [true, null], e: { f: -1.5 } });
    expect(relaxedJson('{s: "say \\"x: y\\""}', 'x')).toEqual({ s: 'say "x: y"' });
    expect(() => relaxedJson('{a: }', 'requestJob')).toThrow(/requestJob: not JSON/);
  });

  it('names a job after the folder of job_schema.proto and reads the runtime from the extension', () => {
    expect(jobNameOf('examples/jobs/calculate_root/job_schema.proto')).toBe('calculate_root');
    expect(jobNameOf('/tmp/roots.proto')).toBe('roots');
    expect(runtimeOf('worker.py')).toBe('python3');
    expect(runtimeOf('worker.js')).toBe('node');
    expect(() => runtimeOf('worker.rb')).toThrow(/\.py \(python3\) or \.js \(node\)/);
  });

  it('reads the packages a job requires from requirements.txt beside its schema (none without one)', () => {
    expect(requirementsOf('examples/jobs/loss_optimisation/job_schema.proto')).toEqual(['numpy']);
    expect(requirementsOf('examples/jobs/calculate_root/job_schema.proto')).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'ain-console-requires-'));
    try {
      writeFileSync(join(dir, 'requirements.txt'), '# for the GPU path\nnumpy\n\ntorch>=2.4  # optional\n');
      expect(requirementsOf(join(dir, 'job_schema.proto'))).toEqual(['numpy', 'torch>=2.4']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers help and exit, refuses unknown commands and a registerJob without its three files', async () => {
    expect(await runConsoleLine('help', context)).toBe(true);
    expect(printed.join('\n')).toContain('registerJob SCHEMA WORKER EVALUATOR');
    expect(await runConsoleLine('  ', context)).toBe(true);
    expect(await runConsoleLine('exit', context)).toBe(false);
    await expect(runConsoleLine('connect AIN', context)).rejects.toThrow(/unknown command "connect"; type help/);
    await expect(registerJob(['job_schema.proto', 'worker.py'], context)).rejects.toThrow(/usage: registerJob SCHEMA WORKER EVALUATOR/);
    await expect(registerJob(['s.proto', 'worker.py', 'evaluator.js'], context)).rejects.toThrow(/same language/);
    await expect(runConsoleLine('stats x', context)).rejects.toThrow(/JOB_ID "x" must be a positive integer/);
  });
});
