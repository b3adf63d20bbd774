/** `aind tx ainft ...` without a node: the messages each command builds, and refusals made locally. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AINFT_TYPE_URLS } from '../../../client/index.ts';
import { addKey } from '../../../home/index.ts';
import { ainftTxMessage } from './handler.ts';

let home: string;
let alice = '';
beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'aind-ainft-tx-'));
  alice = (await addKey(home, 'alice')).key.address;
});
afterAll(() => rmSync(home, { recursive: true, force: true }));

const HASH = 'cd'.repeat(32);

describe('aind tx ainft messages', () => {
  it('mints with the AINFT schema as JSON (or @FILE), children as CLASS/ID:WEIGHT and the total weight added up', () => {
    const file = join(home, 'metadata.json');
    writeFileSync(
      file,
      JSON.stringify({
        data: HASH,
        model: { name: 'ain-bigram', epoch: 1, platform: 'python3', weights_hash: HASH },
        state: '/apps/chat/log',
      }),
    );
    const message = ainftTxMessage(
      'mint',
      ['ainchat', 'chatbot'],
      { metadata: `@${file}`, children: 'ainchat/data:2,ainchat/model:5', ownerWeight: '1', fromJob: '7', to: 'alice' },
      alice,
      home,
    );
    expect(message.typeUrl).toBe(AINFT_TYPE_URLS.mint);
    expect(message.value).toMatchObject({
      signer: alice,
      owner: alice,
      fromJob: 7n,
      metadata: { data: { hash: HASH }, model: { name: 'ain-bigram', epoch: 1n, weightsHash: HASH }, state: '/apps/chat/log' },
      composition: {
        ownerWeight: 1n,
        totalWeight: 8n,
        children: [
          { classId: 'ainchat', id: 'data', weight: 2n },
          { classId: 'ainchat', id: 'model', weight: 5n },
        ],
      },
    });
  });

  it('builds pay, approve-all and rerun from their flags', () => {
    expect(ainftTxMessage('pay', ['ainchat', 'chatbot', '1000'], { kind: 'tip', note: 'thanks' }, alice, home).value).toMatchObject({
      amount: '1000',
      kind: 'tip',
      memo: 'thanks',
    });
    expect(ainftTxMessage('approve-all', ['alice'], { revoke: true }, alice, home).value).toMatchObject({
      operator: alice,
      approved: false,
    });
    expect(ainftTxMessage('rerun', ['ainchat', 'model'], { workerReward: '10', timeLimit: '30' }, alice, home).value).toMatchObject({
      workerReward: '10',
      timeLimitSeconds: 30n,
    });
  });

  it('refuses bad text before the node is contacted, naming what is wrong', () => {
    expect(() => ainftTxMessage('mint', ['c', 'i'], { metadata: '{"data": "nope"}' }, alice, home)).toThrow(
      /metadata\.data\.hash: "nope" is not a sha256 hash/,
    );
    expect(() => ainftTxMessage('mint', ['c', 'i'], { metadata: '{"model": {"size": 1}}' }, alice, home)).toThrow(
      /metadata\.model\.size is not a field/,
    );
    expect(() => ainftTxMessage('compose', ['c', 'i', 'c/x:0'], {}, alice, home)).toThrow(/CLASS\/ID:WEIGHT with a positive weight/);
    expect(() => ainftTxMessage('compose', ['c', 'i', 'x:1'], {}, alice, home)).toThrow(/must name a token as CLASS\/ID/);
    expect(() => ainftTxMessage('pay', ['c', 'i', '1.5'], {}, alice, home)).toThrow(/AMOUNT "1.5" must be a positive number of uain/);
    expect(() => ainftTxMessage('rerun', ['c', 'i'], {}, alice, home)).toThrow(/--worker-reward and --time-limit/);
    expect(() => ainftTxMessage('mint', ['c', 'i'], { fromJob: '1', tolerance: '0.01' }, alice, home)).toThrow(
      /--tolerance needs --score-field/,
    );
  });
});
