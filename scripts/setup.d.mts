// Types for scripts/setup.mjs (plain JS because it runs before `npm ci`).
export declare const REPO_ROOT: string;
export declare const COMETBFT_BIN: string;
export declare function pinnedCometbftVersion(): string;
export declare function installedCometbftVersion(): string | undefined;
export declare function ensureNodeModules(options?: { quiet?: boolean }): boolean;
export declare function ensureCometbft(options?: { quiet?: boolean }): boolean;
export declare function setup(options?: { quiet?: boolean }): void;
export declare class SetupError extends Error {}
