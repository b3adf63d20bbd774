/**
 * `Buffer` for the browser bundle (the `buffer` package, Node's API over Uint8Array): shared code such
 * as tree/hash.ts uses it as a global. scripts/buildUi.mjs injects this file and aliases `node:buffer` here.
 */
import { Buffer } from 'buffer';

export { Buffer };
