import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestFinalizeBlock, RequestInitChain } from 'cosmjs-types/tendermint/abci/types';
import { describe, expect, it } from 'vitest';
import { AinError, ErrConflict } from '../core/index.ts';
import { openCommittedState } from '../tree/lmdb/index.ts';
import { AinApplication } from './application.ts';
import { defaultAppState } from './genesis.ts';
import { APP_PROTOCOL_VERSION, APP_VERSION, APP_VERSION_META, checkStateVersion } from './version.ts';

describe('app version', () => {
  it("is package.json's version", () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(APP_VERSION).toBe(pkg.version);
  });

  it('accepts state of an older or equal major version, or with no record, and refuses a newer major', () => {
    for (const stored of [undefined, '0.1.0', '0.9.3', '1.0.0', '1.7.2-rc.1'])
      expect(() => checkStateVersion(stored, '1.2.0')).not.toThrow();
    for (const stored of ['2.0.0', '10.0.1', 'garbage']) {
      let error: unknown;
      try {
        checkStateVersion(stored, '1.2.0', '/x/application.lmdb');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(AinError);
      expect((error as AinError).is(ErrConflict)).toBe(true);
      expect((error as AinError).message).toMatch(
        /application\.lmdb was written by aind .*newer major version than this aind 1\.2\.0; refusing to start/,
      );
    }
  });

  it('is reported in Info, recorded at every commit, and a newer major in the store stops the app', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ain-version-'));
    try {
      const store = openCommittedState(join(dir, 'app.lmdb'));
      const app = new AinApplication(store);
      const info = app.info({ version: '', blockVersion: 0n, p2pVersion: 0n, abciVersion: '' });
      expect(info.version).toBe(APP_VERSION);
      expect(info.appVersion).toBe(APP_PROTOCOL_VERSION);
      app.initChain(
        RequestInitChain.fromPartial({
          chainId: 'v-1',
          initialHeight: 1n,
          appStateBytes: new TextEncoder().encode(JSON.stringify(defaultAppState())),
        }),
      );
      app.finalizeBlock(RequestFinalizeBlock.fromPartial({ height: 1n, time: { seconds: 1n, nanos: 0 }, txs: [] }));
      app.commit();
      expect(store.getMeta(APP_VERSION_META)).toBe(APP_VERSION);
      // A newer major version commits a block (its own metadata) on the same store.
      store.commit(store.prepare(new Map()), 2n, new Map([[APP_VERSION_META, '99.0.0']]));
      expect(() => new AinApplication(store)).toThrow(/written by aind 99\.0\.0.*refusing to start/);
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
