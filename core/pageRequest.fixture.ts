/**
 * Test helper: a `PageRequest` with the SDK's zero values (no key, no offset, no limit, no total,
 * forward) except the fields given.
 */
import type { PageRequest } from './pagination.ts';

export const pageRequest = (fields: Partial<PageRequest>): PageRequest => ({
  key: new Uint8Array(),
  offset: 0n,
  limit: 0n,
  countTotal: false,
  reverse: false,
  ...fields,
});
