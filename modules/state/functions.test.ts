import { describe, expect, it } from 'vitest';
import { EMPTY_STATE, Overlay } from '../../tree/index.ts';
import { storedConfig } from './configs.ts';
import { ErrInvalidFunctionConfig } from './errors.ts';
import { configPath, labelsOf, parsePattern } from './keys.ts';
import { ALICE, thrown } from './testUtil.fixture.ts';
import { validateFunctionConfig } from './functions.ts';
import { matchFunction, substituteVars } from '../triggers/index.ts';

const offchain = {
  function_type: 'OFFCHAIN',
  function_id: 'sum',
  runtime: 'python3',
  code_hash: '0'.repeat(64),
  resources: { cpu: 1, memory_mb: 512, gpus: 1, gpu_memory_mb: 8192 },
  timeout_blocks: 1000,
  price: '0',
  output_path: '/apps/job/result/$key',
  executors: [ALICE],
  network: false,
};
const pattern = parsePattern('/apps/job/request/$key', true);
const refusal = (config: object, at = pattern) => {
  const error = thrown(() => validateFunctionConfig(config as Record<string, unknown>, at));
  expect(error.is(ErrInvalidFunctionConfig)).toBe(true);
  return error.message;
};

describe('validateFunctionConfig', () => {
  it('accepts an HTTP endpoint and refuses a malformed one, naming the field', () => {
    validateFunctionConfig({ ...offchain, http: { method: 'POST', path: '/ask', price: '10' } }, pattern);
    validateFunctionConfig({ ...offchain, http: { method: 'GET', path: '/v1/models.list', price: '0' } }, pattern);
    expect(refusal({ ...offchain, http: '/ask' })).toContain('.http must be an object');
    expect(refusal({ ...offchain, http: { method: 'PUT', path: '/ask', price: '1' } })).toContain('.http.method');
    expect(refusal({ ...offchain, http: { method: 'POST', path: 'ask', price: '1' } })).toContain('.http.path');
    expect(refusal({ ...offchain, http: { method: 'POST', path: '/a/../b', price: '1' } })).toContain('.http.path');
    expect(refusal({ ...offchain, http: { method: 'POST', path: '/ask', price: '1.5' } })).toContain('.http.price');
    expect(refusal({ ...offchain, http: { method: 'POST', path: '/ask', price: '1', port: 80 } })).toContain(
      '.http has unknown key "port"',
    );
  });

  it('accepts NATIVE _transfer with $from and $to, and a complete OFFCHAIN config', () => {
    validateFunctionConfig({ function_type: 'NATIVE', function_id: '_transfer' }, parsePattern('/apps/a/t/$from/$to/$key/value', true));
    validateFunctionConfig({ ...offchain, runtime: 'torch', requires: ['torch>=2.4', 'numpy'] }, pattern);
    validateFunctionConfig(offchain, pattern);
    validateFunctionConfig({ ...offchain, executors: 'any', network: true }, pattern);
  });

  it('refuses each malformed field, naming it', () => {
    expect(refusal({ function_type: 'NATIVE', function_id: 'mint' })).toContain('no native function');
    expect(refusal({ function_type: 'NATIVE', function_id: '_transfer' })).toContain('needs $from and $to');
    expect(refusal({ function_type: 'NATIVE', function_id: '_transfer', price: '1' }, parsePattern('/apps/a/$from/$to', true))).toContain(
      'unknown key "price"',
    );
    const { runtime: _runtime, ...noRuntime } = offchain;
    expect(refusal(noRuntime)).toContain('needs "runtime"');
    expect(refusal({ ...offchain, runtime: 'Ruby 3' })).toContain('.runtime must be a runtime name');
    expect(refusal({ ...offchain, requires: ['torch>=two'] })).toContain('.requires[0] "torch>=two" has a version "two"');
    expect(refusal({ ...offchain, requires: 'torch' })).toContain('.requires must be a list');
    expect(refusal({ ...offchain, code_hash: 'AB'.repeat(32) })).toContain('.code_hash');
    expect(refusal({ ...offchain, resources: { cpu: 1, memory_mb: 1, gpus: 0 } })).toContain('.resources.gpu_memory_mb');
    expect(refusal({ ...offchain, resources: { ...offchain.resources, cpu: -1 } })).toContain('.resources.cpu');
    expect(refusal({ ...offchain, timeout_blocks: 1001 })).toContain('.timeout_blocks');
    expect(refusal({ ...offchain, price: '1.5' })).toContain('.price');
    expect(refusal({ ...offchain, price: 10 })).toContain('.price');
    expect(refusal({ ...offchain, output_path: '/rules/x' })).toContain('outside /apps');
    expect(refusal({ ...offchain, output_path: '/apps/job/result/$other' })).toContain('does not bind');
    expect(refusal({ ...offchain, executors: [] })).toContain('.executors');
    expect(refusal({ ...offchain, executors: [ALICE, ALICE] })).toContain('distinct');
    expect(refusal({ ...offchain, executors: ['ain1bad'] })).toContain('executors');
    expect(refusal({ ...offchain, network: 'yes' })).toContain('.network');
  });
});

describe('matchFunction', () => {
  const store = new Overlay(EMPTY_STATE);
  const put = (path: string, config: object) => {
    const p = parsePattern(path, true);
    store.set(configPath('function', p.storageLabels), storedConfig(p, config));
  };
  put('/apps/job/request/$key', offchain);
  put('/apps/job/request/special', { ...offchain, function_id: 'special' });
  put('/apps/job/t/$from/$to/$key/value', { function_type: 'NATIVE', function_id: '_transfer' });

  it('finds the full-length match, literal before $, binding the vars', () => {
    expect(matchFunction(store, ['apps', 'job', 'request', 'k1'])).toMatchObject({
      pattern: '/apps/job/request/$key',
      vars: { $key: 'k1' },
    });
    expect(matchFunction(store, ['apps', 'job', 'request', 'special'])?.config.function_id).toBe('special');
    expect(matchFunction(store, ['apps', 'job', 't', 'a', 'b', 'c', 'value'])?.vars).toEqual({ $from: 'a', $to: 'b', $key: 'c' });
  });

  it('matches a value path at the store key bound, whose literal /functions node would be past it', () => {
    const prefix = `/apps/job${`/${'x'.repeat(150)}`.repeat(12)}`;
    put(`${prefix}/$leaf`, offchain);
    // 1,900 key bytes: under /functions the literal node is 1,910, which the store refuses (store/5).
    const leaf = 'y'.repeat(1900 - prefix.length - 1);
    expect(matchFunction(store, labelsOf(`${prefix}/${leaf}`))).toMatchObject({ pattern: `${prefix}/$leaf`, vars: { $leaf: leaf } });
  });

  it('does not fire for prefixes, deeper paths or other apps', () => {
    expect(matchFunction(store, ['apps', 'job', 'request'])).toBeUndefined();
    expect(matchFunction(store, ['apps', 'job', 'request', 'k1', 'a'])).toBeUndefined();
    expect(matchFunction(store, ['apps', 'other', 'request', 'k1'])).toBeUndefined();
  });

  it('substitutes vars into the output path', () => {
    expect(substituteVars('/apps/job/result/$key', { $key: 'k1' })).toBe('/apps/job/result/k1');
  });
});
