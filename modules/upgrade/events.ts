/** The upgrade module emits no events: nothing is scheduled or applied without governance. */
export {};
