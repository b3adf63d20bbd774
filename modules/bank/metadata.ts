/**
 * Denom metadata, the Cosmos SDK's `bank.v1beta1.Metadata`: how wallets and explorers display a denom
 * (`uain` shown as `AIN` with 6 decimals). Written from genesis `app_state.bank.denom_metadata` in the
 * SDK's JSON shape, stored one leaf of canonical JSON per base denom, checked as the SDK's
 * `Metadata.Validate` checks it, and read back by the DenomsMetadata and DenomMetadata queries.
 */
import type { Metadata } from 'cosmjs-types/cosmos/bank/v1beta1/bank';
import { ainError, BASE_DENOM, ErrInvalidRequest, validateDenom } from '../../core/index.ts';

/** One `denom_metadata` entry of genesis, in the SDK's JSON shape. */
export interface DenomMetadataJson {
  description: string;
  denom_units: { denom: string; exponent: number; aliases: string[] }[];
  base: string;
  display: string;
  name: string;
  symbol: string;
  uri: string;
  uri_hash: string;
}

/** The display denom of the chain's coin: 1 AIN = 10^6 uain. */
export const DISPLAY_DENOM = 'ain';
export const DISPLAY_EXPONENT = 6;

/** The metadata of the chain's coin that a new genesis carries. */
export function defaultDenomMetadata(): DenomMetadataJson[] {
  return [
    {
      description: 'The native staking and fee token of AI Network.',
      denom_units: [
        { denom: BASE_DENOM, exponent: 0, aliases: ['microain'] },
        { denom: DISPLAY_DENOM, exponent: DISPLAY_EXPONENT, aliases: [] },
      ],
      base: BASE_DENOM,
      display: DISPLAY_DENOM,
      name: 'AI Network',
      symbol: 'AIN',
      uri: '',
      uri_hash: '',
    },
  ];
}

const text = (value: unknown, field: string): string => {
  if (typeof value !== 'string') throw ainError(ErrInvalidRequest, `${field} must be a string`);
  return value;
};

/**
 * Checks an entry as the SDK does: name and symbol not blank, valid base and display denoms, the
 * first unit the base with exponent 0, exponents strictly increasing, no denom or alias twice, the
 * display denom among the units. Returns it with every field present.
 */
export function checkDenomMetadata(value: unknown, field: string): DenomMetadataJson {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw ainError(ErrInvalidRequest, `${field} must be an object`);
  const m = value as Record<string, unknown>;
  const name = text(m['name'], `${field}.name`);
  const symbol = text(m['symbol'], `${field}.symbol`);
  if (name.trim() === '') throw ainError(ErrInvalidRequest, `${field}.name field cannot be blank`);
  if (symbol.trim() === '') throw ainError(ErrInvalidRequest, `${field}.symbol field cannot be blank`);
  const base = text(m['base'], `${field}.base`);
  const display = text(m['display'], `${field}.display`);
  validateDenom(base, `${field}.base`);
  validateDenom(display, `${field}.display`);
  if (!Array.isArray(m['denom_units']) || m['denom_units'].length === 0)
    throw ainError(ErrInvalidRequest, `${field}.denom_units must list the base denom first`);
  const seen = new Set<string>();
  let previous = -1;
  const units = (m['denom_units'] as unknown[]).map((unit, i) => {
    const u = (unit ?? {}) as Record<string, unknown>;
    const denom = text(u['denom'], `${field}.denom_units[${i}].denom`);
    validateDenom(denom, `${field}.denom_units[${i}].denom`);
    const exponent = u['exponent'] ?? 0;
    if (typeof exponent !== 'number' || !Number.isInteger(exponent) || exponent < 0 || exponent > 0xffffffff)
      throw ainError(ErrInvalidRequest, `${field}.denom_units[${i}].exponent must be a uint32`);
    if (i === 0 && (denom !== base || exponent !== 0))
      throw ainError(ErrInvalidRequest, `${field}: the first denomination unit must be the base denom ${base} with exponent 0`);
    if (exponent <= previous) throw ainError(ErrInvalidRequest, `${field}: denom units must be sorted by increasing exponent`);
    previous = exponent;
    const aliases = u['aliases'] ?? [];
    if (!Array.isArray(aliases) || aliases.some((a) => typeof a !== 'string'))
      throw ainError(ErrInvalidRequest, `${field}.denom_units[${i}].aliases must be strings`);
    for (const name of [denom, ...(aliases as string[])]) {
      if (seen.has(name)) throw ainError(ErrInvalidRequest, `${field}: duplicate denomination unit or alias ${name}`);
      seen.add(name);
    }
    return { denom, exponent, aliases: [...(aliases as string[])] };
  });
  if (!units.some((unit) => unit.denom === display))
    throw ainError(ErrInvalidRequest, `${field}: metadata must contain a denomination unit with display denom ${display}`);
  return {
    description: text(m['description'] ?? '', `${field}.description`),
    denom_units: units,
    base,
    display,
    name,
    symbol,
    uri: text(m['uri'] ?? '', `${field}.uri`),
    uri_hash: text(m['uri_hash'] ?? '', `${field}.uri_hash`),
  };
}

/** The protobuf form the queries answer with. */
export function denomMetadataToProto(json: DenomMetadataJson): Metadata {
  return {
    description: json.description,
    denomUnits: json.denom_units.map((unit) => ({ denom: unit.denom, exponent: unit.exponent, aliases: [...unit.aliases] })),
    base: json.base,
    display: json.display,
    name: json.name,
    symbol: json.symbol,
    uri: json.uri,
    uriHash: json.uri_hash,
  };
}
