import { describe, expect, it } from 'vitest';
import { ErrInvalidInput, ErrInvalidOutput, ErrInvalidSchema } from './errors.ts';
import { checkJson, findRpc, MAX_SCHEMA_BYTES, parseSchema } from './schema.ts';
import { CALCULATE_ROOT_SCHEMA, PAPER_SAMPLE_AS_PRINTED } from '../../test/helpers/jobsTestdata.ts';
import { thrownBy } from '../../test/helpers/errorCode.ts';

/** The AinError a call throws (fails the test when it throws nothing or something else). */
describe('parseSchema', () => {
  it("parses the paper's Calculate Root sample: messages, references, two services of the same name as a message", () => {
    const schema = parseSchema(CALCULATE_ROOT_SCHEMA);
    expect([...schema.messages.keys()]).toEqual(['Request', 'WorkerReply', 'Worker', 'Workers', 'EvaluationResult']);
    expect(schema.messages.get('Worker')!.fields).toEqual([
      { name: 'node', jsonName: 'node', number: 1, repeated: false, type: 'string', scalar: true },
      { name: 'response', jsonName: 'response', number: 3, repeated: false, type: 'WorkerReply', scalar: false },
    ]);
    expect(schema.messages.get('Workers')!.fields[0]).toMatchObject({ repeated: true, type: 'Worker', scalar: false });
    expect(findRpc(schema, '', 'Worker', 'worker_rpc')).toEqual({
      service: 'Worker',
      name: 'CalculateRoot',
      inputs: ['Request'],
      output: 'WorkerReply',
    });
    expect(findRpc(schema, 'Evaluator.EvaluateRoot', 'Evaluator', 'evaluator_rpc').inputs).toEqual(['Request', 'Workers']);
  });

  it('names the field of the paper sample as printed, which has no type', () => {
    const error = thrownBy(() => parseSchema(PAPER_SAMPLE_AS_PRINTED));
    expect(error.is(ErrInvalidSchema)).toBe(true);
    expect(error.message).toContain('line 24:12: message EvaluationResult field node: expected a type before the field name');
  });

  it('takes syntax, package (qualified references), options, optional fields and rpc bodies with options', () => {
    const schema = parseSchema(`
      syntax = "proto3";
      package ml.sgd;
      option java_package = "x.y";
      /* a block
         comment */
      message Batch { repeated double xs = 1; optional int64 seed = 2 [deprecated = true]; ml.sgd.Model start = 3; }
      message Model { repeated double weights = 1; bytes blob = 2; uint64 steps_done = 19999999; }
      service Worker { rpc Train (.ml.sgd.Batch) returns (Model); }
    `);
    expect(schema.package).toBe('ml.sgd');
    expect(schema.messages.get('Batch')!.fields.map((f) => [f.name, f.type, f.repeated])).toEqual([
      ['xs', 'double', true],
      ['seed', 'int64', false],
      ['start', 'Model', false],
    ]);
    expect(schema.messages.get('Model')!.fields[2]).toMatchObject({ jsonName: 'stepsDone', number: 19999999 });
    expect(findRpc(schema, 'Worker.Train', 'Worker', 'worker_rpc')).toMatchObject({ inputs: ['Batch'], output: 'Model' });
  });

  it.each([
    ['', 'is empty'],
    ['syntax = "proto2"; message A { int32 a = 1; }', 'syntax "proto2" is not supported'],
    ['message A { int32 a = 1; } syntax = "proto3";', 'syntax must be the first statement'],
    ['enum Color { RED = 0; }', 'line 1:1: enum is not supported'],
    ['message A { map<string, int32> m = 1; }', 'message A: map is not supported'],
    ['message A { oneof o { int32 a = 1; } }', 'message A: oneof is not supported'],
    ['message A { message B { int32 b = 1; } }', 'nested messages are not supported'],
    ['import "other.proto"; message A { int32 a = 1; }', 'import is not supported'],
    ['message A { int32 a = 1; int64 a = 2; }', 'field a is declared twice'],
    ['message A { int32 a = 1; int64 b = 1; }', 'field number 1 of b is used twice'],
    ['message A { int32 a_b = 1; int64 aB = 2; }', 'field aB has the same JSON name'],
    ['message A { int32 a = 0; }', 'field number "0" is not a positive'],
    ['message A { int32 a = 19500; }', 'field number 19500 must be in'],
    ['message A { Missing m = 1; }', 'message A field m: type Missing is neither a scalar type nor a message'],
    ['message A { B b = 1; } message B { A a = 1; }', 'refers to itself'],
    ['message A { int32 a = 1; } message A { int32 b = 1; }', 'message A is declared twice'],
    ['message A { int32 a = 1 }', 'expected ";"; got "}"'],
    ['message A { int32 a = 1;', 'unexpected end of schema'],
    ['message A { int32 a = 1; } /* open', 'unterminated /* comment'],
    ['service S { rpc M (A) returns (A); } message A { int32 a = 1; }', undefined],
    ['service S { rpc M (stream A) returns (A); } message A { int32 a = 1; }', 'stream is not supported'],
    ['service S { rpc M (B) returns (A); } message A { int32 a = 1; }', 'request type B is not a message of the schema'],
    ['service S { rpc M (A) returns (A) } message A { int32 a = 1; }', 'expected "{}" or ";"'],
    ['service S { }', 'declares no message'],
    ['message A { int32 a = 1; } @', 'unexpected character "@"'],
  ])('refuses %j with jobs/2 naming the problem', (text, expected) => {
    if (expected === undefined) {
      expect(() => parseSchema(text)).not.toThrow();
      return;
    }
    const error = thrownBy(() => parseSchema(text));
    expect([error.codespace, error.code]).toEqual(['jobs', 2]);
    expect(error.message).toContain(expected);
  });

  it('bounds size, message count and reference depth', () => {
    const big = `message A { string a = 1; }\n${'// padding\n'.repeat(MAX_SCHEMA_BYTES / 10)}`;
    expect(thrownBy(() => parseSchema(big)).message).toContain(`at most ${MAX_SCHEMA_BYTES}`);
    const many = Array.from({ length: 65 }, (_, i) => `message M${i} { int32 a = 1; }`).join('\n');
    expect(thrownBy(() => parseSchema(many)).message).toContain('more than 64 messages');
    const chain = Array.from({ length: 18 }, (_, i) => `message M${i} { ${i < 17 ? `M${i + 1} next = 1;` : 'int32 leaf = 1;'} }`).join(
      '\n',
    );
    expect(thrownBy(() => parseSchema(chain)).message).toContain('nests messages 17 deep; at most 16');
  });
});

describe('findRpc', () => {
  const schema = parseSchema('service Worker { rpc A (M) returns (M); rpc B (M) returns (M); } message M { int32 a = 1; }');

  it('needs Service.Method when the default service is missing or has several rpcs', () => {
    expect(thrownBy(() => findRpc(schema, '', 'Worker', 'worker_rpc')).message).toContain('service Worker has 2 rpcs');
    expect(thrownBy(() => findRpc(schema, '', 'Evaluator', 'evaluator_rpc')).message).toContain('service Evaluator is not declared');
    expect(thrownBy(() => findRpc(schema, 'Worker.C', 'Worker', 'worker_rpc')).message).toContain('worker_rpc Worker.C is not an rpc');
    expect(thrownBy(() => findRpc(schema, 'Worker', 'Worker', 'worker_rpc')).message).toContain('is not of the form Service.Method');
    expect(findRpc(schema, 'Worker.B', 'Worker', 'worker_rpc').name).toBe('B');
  });
});

describe('checkJson', () => {
  const schema = parseSchema(CALCULATE_ROOT_SCHEMA);
  const scalars = parseSchema(`message S {
    int32 i32 = 1; uint32 u32 = 2; int64 i64 = 3; uint64 u64 = 4; double d = 5; bool b = 6; string s = 7; bytes raw = 8;
    repeated sint32 many = 9; WithName named = 10;
  }
  message WithName { string first_name = 1; }`);

  it('accepts the paper sample input and outputs, by field name or JSON name, with defaults and nulls', () => {
    expect(() => checkJson(schema, 'Request', { y: 4 }, 'input', ErrInvalidInput)).not.toThrow();
    expect(() => checkJson(schema, 'WorkerReply', { x: 2.0001 }, 'output', ErrInvalidOutput)).not.toThrow();
    expect(() => checkJson(schema, 'WorkerReply', {}, 'output', ErrInvalidOutput)).not.toThrow();
    expect(() => checkJson(schema, 'WorkerReply', { x: null }, 'output', ErrInvalidOutput)).not.toThrow();
    expect(() => checkJson(schema, 'WorkerReply', { x: 'NaN' }, 'output', ErrInvalidOutput)).not.toThrow();
    expect(() =>
      checkJson(schema, 'Workers', { workers: [{ node: 'ain1x', response: { x: 1.5 } }, { node: 'ain1y' }] }, 'input', ErrInvalidInput),
    ).not.toThrow();
    expect(() =>
      checkJson(
        scalars,
        'S',
        {
          i32: -5,
          u32: '4294967295',
          i64: '-9223372036854775808',
          u64: 18446744073709551615n.toString(),
          d: 1e300,
          b: false,
          s: 'x',
          raw: 'AAEC',
          many: [1, -2, '3'],
          named: { firstName: 'a' },
        },
        'input',
        ErrInvalidInput,
      ),
    ).not.toThrow();
  });

  it.each([
    ['WorkerReply', { x: 'two' }, 'output.x: expected a number (float); got "two"'],
    ['WorkerReply', 2, 'output: expected an object (message WorkerReply); got 2'],
    ['WorkerReply', [], 'output: expected an object (message WorkerReply); got an array'],
    ['WorkerReply', { x: 1, y: 2 }, 'output.y: message WorkerReply has no field "y"; its fields are x'],
    ['Workers', { workers: {} }, 'output.workers: expected an array (repeated Worker); got an object'],
    ['Workers', { workers: [{ node: 7 }] }, 'output.workers[0].node: expected a string; got 7'],
    ['Workers', { workers: [{ response: { x: true } }] }, 'output.workers[0].response.x: expected a number (float); got true'],
    ['Workers', { workers: [null] }, 'output.workers[0]: null is not an element of repeated Worker'],
  ])('refuses %s %j naming the path', (type, value, expected) => {
    const error = thrownBy(() => checkJson(schema, type, value, 'output', ErrInvalidOutput));
    expect([error.codespace, error.code]).toEqual(['jobs', 11]);
    expect(error.message).toContain(expected);
  });

  it.each([
    [{ i32: 2 ** 31 }, 'input.i32: expected an integer in [-2147483648, 2147483647] (int32)'],
    [{ u32: -1 }, 'input.u32: expected an integer in [0, 4294967295] (uint32)'],
    [{ i64: 2 ** 60 }, 'input.i64: expected an integer (int64; beyond 2^53 as decimal text)'],
    [{ u64: '18446744073709551616' }, 'input.u64: expected an integer in [0, 18446744073709551615] (uint64)'],
    [{ i32: 1.5 }, 'input.i32: expected an integer'],
    [{ b: 'true' }, 'input.b: expected true or false'],
    [{ raw: 'not base64!' }, 'input.raw: expected base64 text'],
    [{ many: [1, 'x'] }, 'input.many[1]: expected an integer'],
    [{ named: { first_name: 'a', firstName: 'b' } }, 'input.named.first_name: field first_name is given twice'],
  ])('checks scalar %j', (value, expected) => {
    const error = thrownBy(() => checkJson(scalars, 'S', value, 'input', ErrInvalidInput));
    expect([error.codespace, error.code]).toEqual(['jobs', 10]);
    expect(error.message).toContain(expected);
  });
});
