/**
 * Property tests of the job market's untrusted text as an executor reads it: job schemas an admin
 * writes (parseSchema), program outputs checked against them (checkJson), an evaluator's reply
 * (rankingOf) and the revealed outputs an evaluator is given (evaluatorInput). A malformed schema is
 * refused with jobs/2, an output that does not fit with the caller's error naming the path, and what
 * a worker commits is what the chain accepts on reveal.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AinError, ainError } from '../../core/index.ts';
import { checkJson, parseSchema } from '../../modules/jobs/index.ts';
import { Job, Request } from '../../proto/gen/ain/jobs/v1/types.ts';
import { blobHash, ErrStorageNotFound } from '../../storage/index.ts';
import { CALCULATE_ROOT_SCHEMA } from '../../test/helpers/jobsTestdata.ts';
import { ErrInvalidJobOutput } from '../errors.ts';
import { evaluatorInput, rankingOf } from './programs.ts';

const SCALARS = ['double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint64', 'fixed32', 'bool', 'string', 'bytes'];
const FIELD_NAMES = ['x', 'node', 'nodes', 'a_b', 'aB', 'constructor', 'toString', '__proto__', 'value_of', 'y'];

/** A schema near the subset: messages with fields of scalar or message types, an Evaluator rpc, and noise. */
const schemaText = fc
  .record({
    messages: fc.array(
      fc.array(
        fc.record({
          label: fc.constantFrom('', 'repeated ', 'optional ', 'required ', 'map<string,int32> '),
          type: fc.constantFrom(...SCALARS, 'M0', 'M1', 'M2', '.M1', 'pkg.M0', 'Missing'),
          name: fc.constantFrom(...FIELD_NAMES),
          number: fc.constantFrom('1', '2', '3', '0', '19000', '536870912', '07', '2'),
        }),
        { maxLength: 5 },
      ),
      { minLength: 1, maxLength: 3 },
    ),
    rpc: fc.constantFrom(
      '',
      'service Evaluator { rpc Rank (M0) returns (M1) {} }',
      'service Evaluator { rpc Rank (M0, M2) returns (M0); }',
    ),
    prefix: fc.constantFrom('', 'syntax = "proto3";\n', 'syntax = "proto2";\n', 'package pkg;\n', 'option x = 1;\n', 'enum E { A = 0; }\n'),
    noise: fc.oneof(fc.constant(''), fc.string({ maxLength: 12 })),
  })
  .map(
    ({ messages, rpc, prefix, noise }) =>
      `${prefix}${messages
        .map((fields, i) => `message M${i} {\n${fields.map((f) => `  ${f.label}${f.type} ${f.name} = ${f.number};`).join('\n')}\n}`)
        .join('\n')}\n${rpc}${noise}`,
  );

/** JSON near a message: the field names, scalars of every shape, arrays and nested objects. */
const fieldValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constantFrom(0, -0, 1.5, 2 ** 53, 1e21, -1, 4294967296, 'NaN', 'Infinity', '12', '-0', '1e5', 'AAAA', 'x', '', true, null),
    fc.double(),
    fc.string({ maxLength: 6 }),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...FIELD_NAMES, 'zzz'), tie('value'), { maxKeys: 3 }),
  ),
})).value;
const message = fc.dictionary(fc.constantFrom(...FIELD_NAMES, 'zzz'), fieldValue, { maxKeys: 4 });

describe('job schemas and outputs', () => {
  it('parses a schema or refuses it with jobs/2; never another exception', () => {
    fc.assert(
      fc.property(fc.oneof(schemaText, fc.string({ maxLength: 60 })), (text) => {
        try {
          const schema = parseSchema(text);
          // Every field's message type resolves to a message of the schema.
          for (const m of schema.messages.values())
            for (const f of m.fields) expect(f.scalar || schema.messages.has(f.type), `${m.name}.${f.name}`).toBe(true);
        } catch (error) {
          expect(error instanceof AinError && error.codespace === 'jobs' && error.code === 2, String(error)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 3000 },
    );
  });

  it('checks a value with the given error naming its path, and accepts what the chain accepts on reveal (the JSON text a worker commits)', () => {
    const schemas = fc
      .array(schemaText, { minLength: 1, maxLength: 1 })
      .map(([text]) => {
        try {
          return parseSchema(text!);
        } catch {
          return parseSchema(CALCULATE_ROOT_SCHEMA);
        }
      })
      .filter((s) => s.messages.size > 0);
    fc.assert(
      fc.property(schemas, fc.nat(), message, (schema, pick, value) => {
        const types = [...schema.messages.keys()];
        const type = types[pick % types.length]!;
        try {
          checkJson(schema, type, value, 'output', ErrInvalidJobOutput);
        } catch (error) {
          expect(error instanceof AinError && error.is(ErrInvalidJobOutput), String(error)).toBe(true);
          expect((error as Error).message).toMatch(/^output/);
          return;
        }
        // The worker commits JSON.stringify(output); the chain parses that text and checks it again.
        const committed = JSON.parse(JSON.stringify(value)) as unknown;
        checkJson(schema, type, committed, 'output', ErrInvalidJobOutput);
      }),
      { seed: 42, numRuns: 3000 },
    );
  });
});

describe("an evaluator's reply and input", () => {
  const workers = ['ain1aaa', 'ain1bbb', 'ain1ccc', 'ain1ddd'];
  const job = (schema: string) =>
    Job.fromPartial({ id: 1n, schema, evaluatorRpc: '', inputType: 'M0', outputType: 'M0', runtime: 'python3' });
  const rankingSchema = fc
    .tuple(fc.constantFrom('node', 'constructor', 'toString', 'a_b', '__proto__'), fc.constantFrom('', 'string note = 2;', 'int32 n = 2;'))
    .map(([name, extra]) => `message R { repeated string ${name} = 1; ${extra} }\nservice Evaluator { rpc Rank (R) returns (R) {} }`);
  const reply = fc.oneof(
    message,
    fc
      .tuple(
        fc.constantFrom('node', 'constructor', 'toString', 'aB', 'a_b', '__proto__'),
        fc.array(fc.constantFrom(...workers, 'ain1zzz', 7), { maxLength: 6 }),
      )
      .map(([key, list]) => JSON.parse(JSON.stringify({ [key]: list })) as unknown),
    fieldValue,
  );

  it('reads a ranking of distinct revealed workers, or refuses the reply with executor/4', () => {
    fc.assert(
      fc.property(rankingSchema, reply, fc.subarray(workers), (schema, answer, revealed) => {
        try {
          const { ranking, dropped } = rankingOf(job(schema), answer as never, revealed);
          expect(new Set(ranking).size).toBe(ranking.length);
          for (const worker of ranking) expect(revealed).toContain(worker);
          for (const worker of dropped) expect(typeof worker).toBe('string');
        } catch (error) {
          expect(error instanceof AinError && error.is(ErrInvalidJobOutput), String(error)).toBe(true);
        }
      }),
      { seed: 42, numRuns: 2000 },
    );
  });

  it('gives the evaluator every revealed worker whose output can be read, leaving out blobs that are missing or not JSON', async () => {
    const blob = fc.oneof(
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 10 }),
      fc.constant(undefined),
    );
    const result = fc.record({
      revealed: fc.boolean(),
      inline: fc.boolean(),
      blob,
      output: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(result, { maxLength: 4 }), async (results) => {
        const store = new Map<string, Uint8Array>();
        const entries = results.map((r, i) => {
          const worker = workers[i]!;
          if (r.inline) return { worker, output: r.output, outputHash: '', revealedAt: r.revealed ? 5n : 0n, commitment: 'c' };
          const bytes = new TextEncoder().encode(r.blob ?? `missing ${i}`);
          const hash = blobHash(bytes);
          if (r.blob !== undefined) store.set(hash, bytes);
          return { worker, output: '', outputHash: hash, revealedAt: r.revealed ? 5n : 0n, commitment: 'c' };
        });
        const fetch = async (hash: string) => {
          const bytes = store.get(hash);
          if (!bytes) throw ainError(ErrStorageNotFound, `no blob ${hash}`);
          return bytes;
        };
        const input = (await evaluatorInput(Request.fromPartial({ id: 7n, input: '{}', results: entries }), fetch)) as {
          workers: { node: string; response: unknown }[];
        };
        const readable = results.flatMap((r, i) => {
          if (!r.revealed) return [];
          const text = r.inline ? r.output : r.blob;
          // An empty text reads as no value (null), as jsonOf documents.
          if (text === '') return [{ node: workers[i]!, response: null }];
          try {
            return text === undefined ? [] : [{ node: workers[i]!, response: JSON.parse(text) as unknown }];
          } catch {
            return [];
          }
        });
        expect(input.workers).toEqual(readable);
      }),
      { seed: 42, numRuns: 500 },
    );
  });
});
