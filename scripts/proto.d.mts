// Types for scripts/proto.mjs (plain JS so `npm run proto` needs no TypeScript loader).
export declare const REPO_ROOT: string;
export declare const GEN_DIR: string;
export declare class ProtoError extends Error {}
export declare function generate(options?: { outRoot?: string }): void;
export declare function format(): void;
export declare function lint(): void;
export declare function staleFiles(): string[];
export declare function check(): void;
