/**
 * Every folder's face, name by name: what other folders may import from it. A change to a face shows
 * up here (and in `__snapshots__/`) in review.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './importGraph.ts';

function faces(): string[] {
  const found: string[] = [];
  const visit = (dir: string, depth: number): void => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = `${dir}/${name}`;
      if (!statSync(join(ROOT, path)).isDirectory()) continue;
      if (readdirSync(join(ROOT, path)).includes('index.ts')) found.push(`${path}/index.ts`);
      if (depth > 0) visit(path, depth - 1);
    }
  };
  for (const top of ['core', 'tree', 'modules', 'client', 'app', 'storage', 'home', 'executor', 'relayer', 'localnet']) {
    if (readdirSync(join(ROOT, top)).includes('index.ts')) found.push(`${top}/index.ts`);
    visit(top, top === 'modules' ? 0 : 0);
  }
  return [...new Set(found)].sort();
}

describe('faces', () => {
  it.each(faces())('%s exports exactly these names', async (face) => {
    const names = Object.keys(await import(join(ROOT, face))).sort();
    expect(names).toMatchSnapshot();
  });
});
