#!/usr/bin/env node
// The `aind` entry point (package.json "bin"): registers tsx so Node runs the TypeScript sources
// directly, then runs the CLI in cmd/index.ts.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./index.ts');
await main(process.argv);
