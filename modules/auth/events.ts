/** The auth module emits no events of its own: the ante handler's `tx` events are in `app/ante.ts`. */
export {};
