#!/usr/bin/env node
// The `aind` entry point (package.json "bin"): runs the compiled CLI in dist/ (scripts/buildCli.mjs),
// recompiling it first when a TypeScript source changed since it was built, so the sources stay the
// single truth. Where no build can be made (esbuild missing, a read-only checkout) it runs the sources
// through tsx instead, as slowly as that is.
import { cliEntry } from '../scripts/buildCli.mjs';

let entry;
try {
  entry = await cliEntry();
} catch (error) {
  process.stderr.write(
    `aind: could not compile the CLI (${error instanceof Error ? error.message : error}); running the sources with tsx\n`,
  );
  const { register } = await import('tsx/esm/api');
  register();
  entry = './index.ts';
}
const { main } = await import(entry);
await main(process.argv);
