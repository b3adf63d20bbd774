// Types for scripts/buildUi.mjs (plain JS, like the other set-up scripts).
export declare const UI_DIST: string;
export declare function uiBuildStale(): boolean;
export declare function buildUi(options?: { force?: boolean; quiet?: boolean }): Promise<{ built: boolean; seconds: number }>;
