/**
 * Hand-edited genesis files: a genesis exported from a recorded chain (`testdata/replay/`, with
 * staking, distribution, slashing and jobs state) is mutated in one place (a leaf or field dropped,
 * retyped or corrupted; bigint text made lenient; an address broken; an unknown key added) and fed to
 * InitChain. Property: InitChain refuses it with an AinError naming the module's section, or the chain
 * it starts runs blocks (EndBlocks over hours and days of block time) without FinalizeBlock throwing.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AinApplication } from '../../app/application.ts';
import { AinError } from '../../core/index.ts';
import { type CommittedState, openCommittedState } from '../../tree/lmdb/index.ts';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

interface Exported {
  readonly chainId: string;
  readonly seconds: bigint;
  readonly height: bigint;
  readonly appState: { [module: string]: Json };
}

const RECORDINGS = ['05.json', '13.json'];
const dir = mkdtempSync(join(tmpdir(), 'ain-fuzz-genesis-'));
let storeCount = 0;
const exported: Exported[] = [];

async function withApp<T>(run: (app: AinApplication) => T): Promise<T> {
  const store: CommittedState = openCommittedState(join(dir, `${storeCount++}.lmdb`));
  try {
    return run(new AinApplication(store));
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  for (const file of RECORDINGS) {
    const recording = JSON.parse(readFileSync(join(import.meta.dirname, 'testdata', 'replay', file), 'utf8')) as {
      init: string;
      blocks: { request: string }[];
    };
    const init = RequestInitChain.decode(Buffer.from(recording.init, 'base64'));
    exported.push(
      await withApp((app) => {
        app.initChain(init);
        let last = { height: 0n, seconds: 0n };
        for (const block of recording.blocks) {
          const request = RequestFinalizeBlock.decode(Buffer.from(block.request, 'base64'));
          app.finalizeBlock(request);
          app.commit();
          last = { height: request.height, seconds: request.time?.seconds ?? 0n };
        }
        // Through JSON text, as a genesis file carries it.
        const appState = JSON.parse(JSON.stringify(app.exportGenesis())) as Exported['appState'];
        return { chainId: init.chainId, seconds: last.seconds, height: last.height, appState };
      }),
    );
  }
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

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

/** Every place in a JSON value, as a key path. */
function placesOf(value: Json, at: (string | number)[] = []): (string | number)[][] {
  const places: (string | number)[][] = [at];
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

function mutate(value: Json, path: (string | number)[], mutation: Mutation, replacement: Json): Json {
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

/** Places in a module's section, with record leaves opened. */
function sectionPlaces(section: Json): (string | number)[][] {
  const opened = JSON.parse(JSON.stringify(section), (_, v: Json) => openLeaf(v)) as Json;
  return placesOf(opened).filter((place) => place.length > 0 && place.at(-1) !== '__record');
}

const mutationArb = fc.record({
  recording: fc.nat(RECORDINGS.length - 1),
  module: fc.constant('staking'),
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

/** Key paths in a section carry `__record` where a leaf is a record; mutate undoes that on its way down. */
function withoutRecordMarks(place: (string | number)[]): (string | number)[] {
  return place.filter((key) => key !== '__record');
}

describe('genesis import of a mutated exported genesis', () => {
  it('refuses it with an AinError naming the section, or starts a chain whose blocks never throw', async () => {
    await fc.assert(
      fc.asyncProperty(mutationArb, async ({ recording, module, placeSeed, mutation, replacement }) => {
        const base = exported[recording]!;
        const section = base.appState[module]!;
        // Fields inside validator records only: other sections and leaves, and a dropped validator leaf, still fail.
        const places = sectionPlaces(section).filter((place) => String(place[1]).startsWith('/staking/validators/') && place.length > 2);
        const place = withoutRecordMarks(places[placeSeed % places.length]!);
        const appState = { ...base.appState, [module]: mutate(section, place, mutation, replacement) };
        await withApp((app) => {
          let refusal: unknown;
          try {
            app.initChain(
              RequestInitChain.fromPartial({
                chainId: base.chainId,
                initialHeight: base.height + 1n,
                time: { seconds: base.seconds, nanos: 0 },
                appStateBytes: Buffer.from(JSON.stringify(appState)),
              }),
            );
          } catch (error) {
            refusal = error;
          }
          if (refusal !== undefined) {
            expect(refusal, `${module} ${place.join('.')}: ${String(refusal)}`).toBeInstanceOf(AinError);
            expect((refusal as AinError).message).toContain(module);
            return;
          }
          let seconds = base.seconds;
          for (const [i, step] of [5n, 3_600n, 86_400n * 30n, 5n].entries()) {
            seconds += step;
            const height = base.height + 1n + BigInt(i);
            expect(
              () => app.finalizeBlock(RequestFinalizeBlock.fromPartial({ height, time: { seconds, nanos: 0 } })),
              `${module} ${place.join('.')} ${mutation} ${JSON.stringify(replacement)}: block ${height}`,
            ).not.toThrow();
            app.commit();
          }
        });
      }),
      { seed: 42, numRuns: 80 },
    );
  });
});
