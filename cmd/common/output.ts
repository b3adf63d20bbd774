import { toBase64 } from '@cosmjs/encoding';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';

/** `--output json|text`, as in simd. */
export type OutputFormat = 'json' | 'text';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'text'];

/** Checks an `--output` value. */
export function parseOutputFormat(value: string): OutputFormat {
  if (value === 'json' || value === 'text') return value;
  throw ainError(ErrInvalidRequest, `--output "${value}" is not supported; expected json or text`);
}

/**
 * Converts a value to plain JSON the way the Cosmos SDK prints it: bigints (64-bit integers) as
 * decimal strings, bytes as base64, dates as RFC 3339, undefined fields dropped.
 * @example toJsonValue({ gas: 5n }) // { gas: '5' }
 */
export function toJsonValue(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return toBase64(value);
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map((v) => toJsonValue(v) ?? null);
  if (value !== null && typeof value === 'object') {
    const result: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function') continue;
      result[key] = toJsonValue(v);
    }
    return result;
  }
  return value;
}

/** One-line JSON of a value (as simd prints with `--output json`). */
export function formatJson(value: unknown): string {
  return JSON.stringify(toJsonValue(value));
}

/**
 * A readable, YAML-like rendering of a value for `--output text`: `key: value` lines, nested objects
 * indented, arrays as `- ` items.
 */
export function formatText(value: unknown, indent = 0): string {
  const pad = ' '.repeat(indent);
  const plain = toJsonValue(value);
  if (Array.isArray(plain)) {
    if (plain.length === 0) return `${pad}[]`;
    return plain
      .map((item) => {
        if (isObject(item) || Array.isArray(item)) {
          const body = formatText(item, indent + 2).slice(indent + 2);
          return `${pad}- ${body}`;
        }
        return `${pad}- ${scalar(item)}`;
      })
      .join('\n');
  }
  if (isObject(plain)) {
    const entries = Object.entries(plain);
    if (entries.length === 0) return `${pad}{}`;
    return entries
      .map(([key, v]) => {
        if ((isObject(v) && Object.keys(v).length > 0) || (Array.isArray(v) && v.length > 0)) {
          return `${pad}${key}:\n${formatText(v, indent + 2)}`;
        }
        return `${pad}${key}: ${Array.isArray(v) ? '[]' : isObject(v) ? '{}' : scalar(v)}`;
      })
      .join('\n');
  }
  return `${pad}${scalar(plain)}`;
}

/** Prints a command's result on stdout in the requested format. */
export function printResult(value: unknown, format: OutputFormat, text?: (value: unknown) => string): void {
  process.stdout.write(`${format === 'json' ? formatJson(value) : (text ?? formatText)(value)}\n`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value === '' ? '""' : value;
  return String(value);
}
