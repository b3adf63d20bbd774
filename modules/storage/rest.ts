/** The storage module has no REST routes yet: clients and providers use its ABCI queries (`query.ts`). */
import type { RestRoute } from '../../core/index.ts';

export const storageRestRoutes: readonly RestRoute[] = [];
