/** The auth module has no message handlers (see `msgs.ts`). */
export {};
