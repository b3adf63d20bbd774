/**
 * The lint rule for consensus code: what runs inside CheckTx/FinalizeBlock/Commit must not read the
 * clock, randomness or the environment, must not do I/O, and must never evaluate code. I/O lives in
 * the socket server (app/abci), the REST API (app/rest), the lmdb adapter (app/store/committedState.ts)
 * and cmd/. A new file in a pure folder is checked automatically.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const PURE_FOLDERS = ['core', 'tree', 'app', 'modules'];
const IO_ALLOWED = ['app/abci/', 'app/rest/', 'tree/lmdb/'];

const FORBIDDEN: Array<[RegExp, string]> = [
  [/from 'node:(fs|net|http|https|child_process|worker_threads|dgram|os)'/, 'I/O module import'],
  [/from '(lmdb|ws)'/, 'I/O library import'],
  [/\bDate\.now\b|\bnew Date\(\s*\)|\bperformance\.now\b|\bprocess\.hrtime\b/, 'reads the clock'],
  [/\bMath\.random\b|\brandomBytes\b|\bgetRandomValues\b/, 'reads randomness'],
  [/\bprocess\.env\b|\bprocess\.argv\b/, 'reads the environment'],
  [/\beval\s*\(|\bnew Function\b|from 'node:vm'/, 'evaluates code'],
  [/\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b/, 'uses timers'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.fixture.ts') ? [path] : [];
  });
}

describe('consensus code purity', () => {
  const files = PURE_FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)))
    .map((path) => relative(ROOT, path))
    .filter((path) => !IO_ALLOWED.some((allowed) => path.startsWith(allowed)));

  it('checks a non-trivial set of files', () => {
    expect(files.length).toBeGreaterThan(20);
  });

  it.each(files)('%s reads no clock, randomness or environment and does no I/O', (file) => {
    // Comments may name forbidden things ("never Date.now"): strip them first.
    const code = readFileSync(join(ROOT, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
    const violations = FORBIDDEN.filter(([pattern]) => pattern.test(code)).map(([, what]) => what);
    expect(violations).toEqual([]);
  });
});
