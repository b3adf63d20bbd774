import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setClientKeyringBackend } from '../../home/index.ts';
import { keyringOf, resolveKeyringBackend } from './keyring.ts';

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aind-keyring-flags-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('resolveKeyringBackend', () => {
  it('takes the flag, then AIND_KEYRING_BACKEND, then client.toml, then file', () => {
    expect(resolveKeyringBackend(home, undefined, {})).toBe('file');
    setClientKeyringBackend(home, 'test');
    expect(resolveKeyringBackend(home, undefined, {})).toBe('test');
    expect(resolveKeyringBackend(home, undefined, { AIND_KEYRING_BACKEND: 'file' })).toBe('file');
    expect(resolveKeyringBackend(home, 'file', { AIND_KEYRING_BACKEND: 'test' })).toBe('file');
    expect(resolveKeyringBackend(home, 'test', {})).toBe('test');
    expect(() => resolveKeyringBackend(home, undefined, { AIND_KEYRING_BACKEND: 'os' })).toThrow(/"os" is not supported; use "file"/);
  });

  it('gives a file keyring a passphrase source and a test keyring none', () => {
    expect(keyringOf(home, { keyringBackend: 'test' })).toEqual({ backend: 'test' });
    const file = keyringOf(home, { keyringBackend: 'file' });
    expect(file.backend).toBe('file');
    expect(typeof file.passphrase).toBe('function');
  });
});
