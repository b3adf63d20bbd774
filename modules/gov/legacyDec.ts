/**
 * The LegacyDec fields of the Cosmos messages a proposal may carry. Their wire form is the atomics
 * (value x 10^18) as text, or for slashing's params as the ASCII of that text in bytes; simd's proposal
 * JSON and the SDK's gateway write them as decimals ("0.050000000000000000"). gov v1's own decimals
 * and the AIN modules' are plain decimal text and need neither conversion.
 */
import { decFromText, decToAtomics, decToFixed18, type JsonValue } from '../../core/index.ts';

interface LegacyDecField {
  /** The path below the message, snake_case. */
  readonly path: readonly string[];
  /** The wire holds the atomics' ASCII in bytes (base64 in JSON). */
  readonly bytes?: true;
}

/** By type URL. */
export const PROPOSAL_LEGACY_DEC_FIELDS: Readonly<Record<string, readonly LegacyDecField[]>> = {
  '/cosmos.staking.v1beta1.MsgUpdateParams': [{ path: ['params', 'min_commission_rate'] }],
  '/cosmos.distribution.v1beta1.MsgUpdateParams': [
    { path: ['params', 'community_tax'] },
    { path: ['params', 'base_proposer_reward'] },
    { path: ['params', 'bonus_proposer_reward'] },
  ],
  '/cosmos.slashing.v1beta1.MsgUpdateParams': [
    { path: ['params', 'min_signed_per_window'], bytes: true },
    { path: ['params', 'slash_fraction_double_sign'], bytes: true },
    { path: ['params', 'slash_fraction_downtime'], bytes: true },
  ],
};

const camel = (key: string) => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** Calls `update` on each LegacyDec field of a message's JSON (snake_case or camelCase keys) that is present. */
function eachField(typeUrl: string, fields: Record<string, unknown>, update: (value: unknown, field: LegacyDecField) => unknown): void {
  for (const field of PROPOSAL_LEGACY_DEC_FIELDS[typeUrl] ?? []) {
    let holder: Record<string, unknown> | undefined = fields;
    for (const key of field.path.slice(0, -1)) {
      const next: unknown = holder?.[key] ?? holder?.[camel(key)];
      holder = next !== null && typeof next === 'object' && !Array.isArray(next) ? (next as Record<string, unknown>) : undefined;
    }
    const last = field.path.at(-1)!;
    const key = holder && last in holder ? last : camel(last);
    if (holder === undefined || holder[key] === undefined || holder[key] === null) continue;
    holder[key] = update(holder[key], field);
  }
}

/**
 * A message's JSON (without `@type`) with its LegacyDecs from decimal text ("0.05") to the form
 * cosmjs-types' `fromJSON` reads: atomics text, or base64 of the atomics' ASCII for bytes fields.
 * @throws AinError sdk/18 naming `<prefix>.<path>` when a value is not a decimal
 * @example legacyDecsToWire('/cosmos.staking.v1beta1.MsgUpdateParams', { params: { min_commission_rate: '0.05' } }, 'messages[0]')
 * // { params: { min_commission_rate: '50000000000000000' } }
 */
export function legacyDecsToWire(typeUrl: string, fields: Record<string, unknown>, prefix: string): Record<string, unknown> {
  const copy = structuredClone(fields);
  eachField(typeUrl, copy, (value, field) => {
    const atomics = decToAtomics(decFromText(String(value), `${prefix}.${field.path.join('.')}`));
    return field.bytes ? Buffer.from(atomics, 'latin1').toString('base64') : atomics;
  });
  return copy;
}

/**
 * Prints the LegacyDecs of the messages inside a JSON answer (objects with `@type`) as the SDK's
 * gateway does ("0.050000000000000000"); a value that is not atomics stays as it is.
 * @example legacyDecsForGateway({ '@type': '/cosmos.staking.v1beta1.MsgUpdateParams', params: { min_commission_rate: '0' } })
 */
export function legacyDecsForGateway(json: JsonValue): JsonValue {
  if (Array.isArray(json)) return json.map(legacyDecsForGateway);
  if (json === null || typeof json !== 'object') return json;
  const out: Record<string, JsonValue> = Object.fromEntries(Object.entries(json).map(([k, v]) => [k, legacyDecsForGateway(v)]));
  const typeUrl = out['@type'];
  if (typeof typeUrl === 'string') {
    eachField(typeUrl, out, (value, field) => {
      if (typeof value !== 'string') return value;
      const text = field.bytes ? Buffer.from(value, 'base64').toString('latin1') : value;
      return /^(0|[1-9][0-9]{0,99})$/.test(text) ? decToFixed18(BigInt(text)) : value;
    });
  }
  return out;
}
