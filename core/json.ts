/**
 * JSON values and their one canonical text: object keys sorted by UTF-16 code unit (JavaScript would
 * put integer-like keys first), numbers in ECMAScript's shortest form. Records stored in the state tree
 * are canonical JSON text, so every node writes the same bytes.
 */

/** A JSON value as parsed or about to be written. */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Canonical JSON text of a value.
 * @example canonicalJson({ b: 1, 10: 2, 9: 3 }) // '{"10":2,"9":3,"b":1}'
 */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map((v) => canonicalJson(v)).join(',')}]`;
  const object = value as Readonly<Record<string, JsonValue>>;
  const keys = Object.keys(object).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(object[k])}`).join(',')}}`;
}

/** A plain JSON object check: not null, not an array. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** UTF-8 length of a string (lone surrogates count 3, as the encoder would write U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}
