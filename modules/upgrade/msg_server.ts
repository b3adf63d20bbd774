/** The upgrade module has no message handlers (see `msgs.ts`). */
export {};
