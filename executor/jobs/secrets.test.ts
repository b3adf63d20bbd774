import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CommitSecrets, MAX_SECRETS } from './secrets.ts';

const dirs: string[] = [];
const file = () => {
  const dir = mkdtempSync(join(tmpdir(), 'ain-secrets-'));
  dirs.push(dir);
  return join(dir, 'executor-jobs.json');
};
const SALT = 'ab'.repeat(32);

describe('commit secrets', () => {
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('survive a restart: written before the commitment, read back by a new executor, forgotten after the reveal', () => {
    const path = file();
    new CommitSecrets(path).put(7n, { salt: SALT, output: '{"x":2}', outputHash: '' });
    const restarted = new CommitSecrets(path);
    expect(restarted.get(7n)).toEqual({ salt: SALT, output: '{"x":2}', outputHash: '' });
    expect(restarted.ids()).toEqual([7n]);
    restarted.delete(7n);
    expect(new CommitSecrets(path).get(7n)).toBeUndefined();
  });

  it('ignores a damaged file and malformed entries, and keeps at most MAX_SECRETS', () => {
    const path = file();
    writeFileSync(path, '{not json');
    expect(new CommitSecrets(path).ids()).toEqual([]);
    writeFileSync(
      path,
      JSON.stringify({
        requests: { '1': { salt: 'short', output: '', outputHash: '' }, x: {}, '2': { salt: SALT, output: '1', outputHash: '' } },
      }),
    );
    const secrets = new CommitSecrets(path);
    expect(secrets.ids()).toEqual([2n]);
    for (let id = 3; id < MAX_SECRETS + 10; id++) secrets.put(BigInt(id), { salt: SALT, output: String(id), outputHash: '' });
    expect(secrets.ids()).toHaveLength(MAX_SECRETS);
    expect(secrets.get(2n)).toBeUndefined();
    expect(Object.keys((JSON.parse(readFileSync(path, 'utf8')) as { requests: object }).requests)).toHaveLength(MAX_SECRETS);
  });
});
