/**
 * The reads of `aind query ainft ...`, as JSON (snake_case): a token (with provenance, re-run counts, earnings),
 * collections, listings, owner and balance (the Cosmos NFT service), compositions walked down and
 * up, provenance chains, re-runs, payment splits and params.
 */
import {
  queryAinftParams,
  queryChildren,
  queryClass,
  queryClasses,
  queryNftBalance,
  queryNftSupply,
  queryOwnerOf,
  queryParents,
  queryProvenance,
  queryReruns,
  querySplit,
  queryToken,
  queryTokens,
} from '../../../client/index.ts';
import { snakeKeys, toJsonValue, withCometClient } from '../../common/index.ts';

export const AINFT_QUERIES = [
  'token',
  'class',
  'classes',
  'tokens',
  'owner',
  'balance',
  'supply',
  'children',
  'parents',
  'provenance',
  'reruns',
  'split',
  'params',
] as const;
export type AinftQuery = (typeof AINFT_QUERIES)[number];

/** Options of `query ainft tokens`. */
export interface AinftQueryFlags {
  readonly class?: string | undefined;
  readonly owner?: string | undefined;
  readonly startAfter?: string | undefined;
}

/** One `query ainft` answer, with the height it was read at. */
export function queryAinft(node: string, query: AinftQuery, args: readonly string[], flags: AinftQueryFlags): Promise<unknown> {
  const [first = '', second = '', third = ''] = args;
  return withCometClient(node, async (comet) => {
    const answer = await (async (): Promise<object> => {
      switch (query) {
        case 'token':
          return queryToken(comet, first, second);
        case 'class':
          return queryClass(comet, first);
        case 'classes':
          return queryClasses(comet, flags.startAfter ?? '');
        case 'tokens':
          return queryTokens(comet, { classId: flags.class ?? '', owner: flags.owner ?? '', startAfter: flags.startAfter ?? '' });
        case 'owner':
          return queryOwnerOf(comet, first, second);
        case 'balance':
          return queryNftBalance(comet, first, second);
        case 'supply':
          return queryNftSupply(comet, first);
        case 'children':
          return queryChildren(comet, first, second);
        case 'parents':
          return queryParents(comet, first, second);
        case 'provenance':
          return queryProvenance(comet, first, second);
        case 'reruns':
          return queryReruns(comet, first, second);
        case 'split':
          return querySplit(comet, first, second, third);
        case 'params':
          return queryAinftParams(comet);
      }
    })();
    // As the gateway prints protos: snake_case keys, 64-bit integers as text.
    return snakeKeys(toJsonValue({ ...answer, height: String((answer as { height: number }).height) }));
  });
}
