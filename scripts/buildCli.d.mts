// Types for scripts/buildCli.mjs (plain JS: cmd/aind.js and scripts/setup.mjs run it without tsx).
export declare const BUILD_DIR: string;
export declare const CLI_MANIFEST: string;
export declare const CLI_SOURCE: string;
export declare function cliBuildState(): { fresh: true; entry: string } | { fresh: false; reason: string };
export declare function buildCli(): Promise<string>;
export declare function ensureCliBuild(options?: { quiet?: boolean }): Promise<boolean>;
export declare function cliEntry(): Promise<string>;
