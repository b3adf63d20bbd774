/** The channels module has no REST routes yet: executors and payers use its ABCI query (`query.ts`). */
import type { RestRoute } from '../../core/index.ts';

export const channelsRestRoutes: readonly RestRoute[] = [];
