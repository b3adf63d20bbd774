// Types for scripts/setup.mjs (plain JS because it runs before `npm ci`).
export declare const REPO_ROOT: string;
export declare const COMETBFT_BIN: string;
export declare function pinnedCometbftVersion(): string;
export declare function installedCometbftVersion(): string | undefined;
export declare function ensureNodeModules(options?: { quiet?: boolean }): boolean;
export declare function ensureCometbft(options?: { quiet?: boolean }): boolean;
export declare const ABCI_CLI_BIN: string;
export declare function ensureAbciCli(options?: { quiet?: boolean }): boolean;
export declare function setup(options?: { quiet?: boolean }): void;
export declare class SetupError extends Error {}
export declare const GO_SERVERS: Record<'kubo' | 'seaweedfs' | 'compose', { bin: string; module: string; pkg: string }>;
export declare function pinnedGoServerVersion(name: 'kubo' | 'seaweedfs' | 'compose'): string;
export declare function goServerBin(name: 'kubo' | 'seaweedfs' | 'compose'): string;
export declare function ensureGoServer(name: 'kubo' | 'seaweedfs' | 'compose', options?: { quiet?: boolean }): { bin: string; built: boolean; seconds: number };
