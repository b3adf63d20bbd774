import { ainError, ErrAppConfig } from '../core/index.ts';

/** A TOML scalar or array of scalars, as CometBFT's config.toml uses them. */
export type TomlValue = string | number | boolean | readonly (string | number | boolean)[];

/**
 * Renders a value as TOML: strings quoted and escaped, numbers and booleans bare, arrays inline.
 * @example formatTomlValue(['*']) // '["*"]'
 */
export function formatTomlValue(value: TomlValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw ainError(ErrAppConfig, `cannot write ${value} to TOML`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return `[${value.map((v) => formatTomlValue(v)).join(', ')}]`;
}

/**
 * Sets `key = value` in the given `[section]` of a TOML document (section "" is the top level,
 * before the first header), keeping every other line, comment and the order as they are. A key that
 * is absent is appended at the end of its section; a section that is absent is appended at the end.
 * Only the flat `key = value` form CometBFT writes is handled (no multi-line arrays or strings).
 * @example setTomlValue(text, 'consensus', 'timeout_commit', '1s')
 */
export function setTomlValue(text: string, section: string, key: string, value: TomlValue): string {
  const lines = text.split('\n');
  const rendered = `${key} = ${formatTomlValue(value)}`;
  const { start, end } = findSection(lines, section);
  if (start === -1) {
    const tail = text.endsWith('\n') || text === '' ? '' : '\n';
    return `${text}${tail}\n[${section}]\n${rendered}\n`;
  }
  for (let i = start; i < end; i++) {
    if (keyOf(lines[i]!) === key) {
      lines[i] = rendered;
      return lines.join('\n');
    }
  }
  // Append after the last non-blank line of the section.
  let insertAt = end;
  while (insertAt > start && lines[insertAt - 1]!.trim() === '') insertAt--;
  lines.splice(insertAt, 0, rendered);
  return lines.join('\n');
}

/** Sets several keys at once: `{ section: { key: value } }`. */
export function setTomlValues(text: string, values: Readonly<Record<string, Readonly<Record<string, TomlValue>>>>): string {
  let result = text;
  for (const [section, entries] of Object.entries(values)) {
    for (const [key, value] of Object.entries(entries)) result = setTomlValue(result, section, key, value);
  }
  return result;
}

/**
 * Reads the raw value of `key` in `[section]` and decodes quoted strings, numbers and booleans;
 * undefined when absent. Arrays come back as their raw text.
 * @example getTomlValue(text, 'rpc', 'laddr') // 'tcp://127.0.0.1:26657'
 */
export function getTomlValue(text: string, section: string, key: string): string | number | boolean | undefined {
  const lines = text.split('\n');
  const { start, end } = findSection(lines, section);
  if (start === -1) return undefined;
  for (let i = start; i < end; i++) {
    const line = lines[i]!;
    if (keyOf(line) !== key) continue;
    const raw = stripComment(line.slice(line.indexOf('=') + 1)).trim();
    if (raw.startsWith('"')) return JSON.parse(raw) as string;
    if (raw.startsWith("'")) return raw.slice(1, raw.lastIndexOf("'"));
    if (raw === 'true' || raw === 'false') return raw === 'true';
    if (/^[+-]?\d[\d_]*(\.\d+)?([eE][+-]?\d+)?$/.test(raw)) return Number(raw.replaceAll('_', ''));
    return raw;
  }
  return undefined;
}

/** The line range [start, end) holding a section's keys; start is -1 when the section is absent. */
function findSection(lines: readonly string[], section: string): { start: number; end: number } {
  let start = section === '' ? 0 : -1;
  for (let i = 0; i < lines.length; i++) {
    const header = headerOf(lines[i]!);
    if (header === undefined) continue;
    if (start !== -1) return { start, end: i };
    if (header === section) start = i + 1;
  }
  return { start, end: lines.length };
}

function headerOf(line: string): string | undefined {
  const match = /^\s*\[\s*([^\]\s]+)\s*\]\s*(#.*)?$/.exec(line);
  return match?.[1];
}

function keyOf(line: string): string | undefined {
  const match = /^\s*([A-Za-z0-9_.-]+)\s*=/.exec(line);
  return match?.[1];
}

/** Drops a trailing `# comment` that is outside a quoted string. */
function stripComment(raw: string): string {
  let quote: string | undefined;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '#') return raw.slice(0, i);
  }
  return raw;
}
