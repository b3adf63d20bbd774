import { Option } from 'commander';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { DEFAULT_HOME } from '../../home/index.ts';
import { DEFAULT_NODE } from './node-url.ts';
import { OUTPUT_FORMATS, type OutputFormat } from './output.ts';

/** Flags shared by many commands, named and defaulted as in simd. */
export interface HomeFlags {
  home?: string;
}
export interface OutputFlags {
  output: OutputFormat;
}
export interface NodeFlags {
  node: string;
}

/** `--home <dir>`: the node home (default ~/.aind). */
export function homeOption(defaultHome: string = DEFAULT_HOME): Option {
  return new Option('--home <dir>', 'directory for config and data').default(defaultHome);
}

/** `-o, --output <json|text>`. */
export function outputOption(defaultFormat: OutputFormat = 'text'): Option {
  return new Option('-o, --output <format>', 'output format').choices([...OUTPUT_FORMATS]).default(defaultFormat);
}

/** `--node <url>`: CometBFT RPC of the node to talk to. */
export function nodeOption(): Option {
  return new Option('--node <url>', '<host>:<port> of the CometBFT RPC interface for this chain').default(DEFAULT_NODE);
}

/** `--limit N`: an integer from 1 to `max`. */
export function parseLimit(text: string, max: number): number {
  if (!/^[1-9][0-9]*$/.test(text) || Number(text) > max)
    throw ainError(ErrInvalidRequest, `--limit "${text}" must be an integer from 1 to ${max}`);
  return Number(text);
}
