/**
 * Hand-edited genesis files, for the genesis property tests: an exported genesis (`ExportedChain`) is
 * mutated in one place (a leaf or field dropped, retyped or corrupted; bigint text made lenient; an
 * address broken; an unknown key added), with record leaves (JSON text) opened so that a field inside
 * one can be mutated too, and fed to InitChain of a fresh app. Property: InitChain refuses it with an
 * AinError naming the module's section, or the chain it starts runs blocks (EndBlocks over hours and
 * days of block time) without FinalizeBlock throwing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { expect } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { type AppState, validateAppState } from '../../app/index.ts';
import { AinError } from '../../core/index.ts';
import { type CommittedState, openCommittedState } from '../../tree/lmdb/index.ts';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export interface ExportedChain {
  readonly chainId: string;
  /** Block time and height of the last block. */
  readonly seconds: bigint;
  readonly height: bigint;
  /** `app_state` through JSON text, as a genesis file carries it. */
  readonly appState: { [module: string]: Json };
}

/** Values an operator might type where a number, an amount, an address or a record was. */
const CORRUPT: Json[] = [
  '0x10',
  '',
  ' 1 ',
  '1.5',
  '-5',
  '1e3',
  '01',
  'abc',
  '-1uain',
  '5',
  '1uain',
  '99999999999999999999999999999999999999',
  'ain1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq',
  'ainvaloper1xyz',
  5,
  -5,
  1.5,
  true,
  null,
  [],
  {},
  '{}',
  '{"x":1}',
  '[]',
];

type Place = (string | number)[];

/** Every place in a JSON value, as a key path. */
function placesOf(value: Json, at: Place = []): Place[] {
  const places: Place[] = [at];
  if (Array.isArray(value)) value.forEach((item, i) => places.push(...placesOf(item, [...at, i])));
  else if (value !== null && typeof value === 'object')
    for (const [key, item] of Object.entries(value)) places.push(...placesOf(item, [...at, key]));
  return places;
}

/** Record leaves (JSON text in a string) are opened, so a field inside one can be mutated. */
function openLeaf(value: Json): Json {
  if (typeof value === 'string' && value.startsWith('{')) return { __record: JSON.parse(value) as Json };
  return value;
}

function closeLeaf(value: Json): Json {
  if (value !== null && typeof value === 'object' && !Array.isArray(value) && '__record' in value) return JSON.stringify(value.__record);
  return value;
}

type Mutation = 'replace' | 'drop' | 'unknownKey' | 'stringToNumber' | 'numberToString' | 'negate' | 'duplicate';

function mutate(value: Json, path: Place, mutation: Mutation, replacement: Json): Json {
  if (path.length > 0 && value !== null && typeof value === 'object' && !Array.isArray(value) && '__record' in value)
    return { __record: mutate(value.__record!, path, mutation, replacement) };
  if (path.length === 0) {
    switch (mutation) {
      case 'replace':
        return replacement;
      case 'stringToNumber':
        return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : replacement;
      case 'numberToString':
        return typeof value === 'number' ? String(value) : replacement;
      case 'negate':
        return typeof value === 'string' && /^\d/.test(value) ? `-${value}` : typeof value === 'number' ? -value : replacement;
      case 'unknownKey':
        return value !== null && typeof value === 'object' && !Array.isArray(value)
          ? { ...value, unknown_field: replacement }
          : replacement;
      case 'duplicate':
        return Array.isArray(value) && value.length > 0 ? [...value, value[0]!] : replacement;
      case 'drop':
        return replacement;
    }
  }
  const [head, ...rest] = path;
  if (Array.isArray(value)) {
    const index = head as number;
    if (mutation === 'drop' && rest.length === 0) return value.filter((_, i) => i !== index);
    return value.map((item, i) => (i === index ? closeLeaf(mutate(openLeaf(item), rest, mutation, replacement)) : item));
  }
  const object = value as { [key: string]: Json };
  const key = head as string;
  if (mutation === 'drop' && rest.length === 0) {
    const { [key]: _dropped, ...others } = object;
    return others;
  }
  return { ...object, [key]: closeLeaf(mutate(openLeaf(object[key]!), rest, mutation, replacement)) };
}

/** Places in a module's section, record leaves opened, without the `__record` marks (mutate undoes them on its way down). */
function sectionPlaces(section: Json): Place[] {
  const opened = JSON.parse(JSON.stringify(section), (_, v: Json) => openLeaf(v)) as Json;
  return placesOf(opened)
    .filter((place) => place.length > 0 && place.at(-1) !== '__record')
    .map((place) => place.filter((key) => key !== '__record'));
}

/** One mutation: of which chain, which section, which place in it (a seed), how and with what. */
export interface GenesisMutation {
  readonly chain: number;
  readonly module: string;
  readonly placeSeed: number;
  readonly mutation: Mutation;
  readonly replacement: Json;
}

export function genesisMutationArb(chains: number, modules: readonly string[]): fc.Arbitrary<GenesisMutation> {
  return fc.record({
    chain: fc.nat(chains - 1),
    module: fc.constantFrom(...modules),
    placeSeed: fc.nat(),
    mutation: fc.constantFrom<Mutation>(
      'replace',
      'replace',
      'replace',
      'drop',
      'unknownKey',
      'stringToNumber',
      'numberToString',
      'negate',
      'duplicate',
    ),
    replacement: fc.constantFrom(...CORRUPT),
  });
}

/** Fresh apps on lmdb stores in one temporary folder. */
export class GenesisApps {
  readonly #dir = mkdtempSync(join(tmpdir(), 'ain-genesis-'));
  #count = 0;

  async with<T>(run: (app: AinApplication) => T): Promise<T> {
    const store: CommittedState = openCommittedState(join(this.#dir, `${this.#count++}.lmdb`));
    try {
      return run(new AinApplication(store));
    } finally {
      await store.close();
    }
  }

  /** InitChain with `appState` as a chain restarting from `base` would; the error it throws, if any. */
  initChain(app: AinApplication, base: ExportedChain, appState: ExportedChain['appState']): unknown {
    try {
      app.initChain(
        RequestInitChain.fromPartial({
          chainId: base.chainId,
          initialHeight: base.height + 1n,
          time: { seconds: base.seconds, nanos: 0 },
          appStateBytes: Buffer.from(JSON.stringify(appState)),
        }),
      );
      return undefined;
    } catch (error) {
      return error;
    }
  }

  /** What `aind genesis validate` checks of `appState` for a chain restarting from `base`. */
  validate(base: ExportedChain, appState: ExportedChain['appState']): void {
    validateAppState(appState as unknown as AppState, false, {
      height: base.height + 1n,
      blockTimeSeconds: base.seconds,
      chainId: base.chainId,
    });
  }

  /** Four blocks: 5 s, an hour, 30 days and 5 s after the last; none may throw. */
  runBlocks(app: AinApplication, base: ExportedChain, what: string): void {
    let seconds = base.seconds;
    for (const [i, step] of [5n, 3_600n, 86_400n * 30n, 5n].entries()) {
      seconds += step;
      const height = base.height + 1n + BigInt(i);
      expect(
        () => app.finalizeBlock(RequestFinalizeBlock.fromPartial({ height, time: { seconds, nanos: 0 } })),
        `${what}: block ${height}`,
      ).not.toThrow();
      app.commit();
    }
  }

  /** The property for one mutation of one of `chains` (a mutation of a section a chain lacks, or of no place, is skipped). */
  async check(chains: readonly ExportedChain[], { chain, module, placeSeed, mutation, replacement }: GenesisMutation): Promise<void> {
    const base = chains[chain]!;
    const section = base.appState[module];
    if (section === undefined) return;
    const places = sectionPlaces(section);
    if (places.length === 0) return;
    const place = places[placeSeed % places.length]!;
    const what = `${module} ${place.join('.')} ${mutation} ${JSON.stringify(replacement)}`;
    const appState = { ...base.appState, [module]: mutate(section, place, mutation, replacement) };
    await this.with((app) => {
      const refusal = this.initChain(app, base, appState);
      if (refusal !== undefined) {
        expect(refusal, `${what}: ${String(refusal)}`).toBeInstanceOf(AinError);
        expect((refusal as AinError).message, what).toContain(module);
        // `aind genesis validate` refuses what InitChain refuses.
        expect(() => this.validate(base, appState), `${what}: aind genesis validate`).toThrow(AinError);
        return;
      }
      this.runBlocks(app, base, what);
    });
  }

  close(): void {
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
