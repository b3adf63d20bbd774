/** The stateless checks of the AINFT schema, compositions and messages: what passes, and the field each refusal names. */
import { describe, expect, it } from 'vitest';
import { AinError } from '../../core/index.ts';
import { testKey } from '../../test/helpers/tx.ts';
import { MsgMint, MsgPay } from '../../proto/gen/ain/ainft/v1/tx.ts';
import { validateComposition, validateMetadata, validateMsgMint, validateMsgPay } from './msgs.ts';

const signer = testKey('ainft-msgs').address;
const HASH = 'ab'.repeat(32);
const self = { classId: 'ainchat', id: 'chatbot' };

function failure(fn: () => void): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof AinError) return `${error.codespace}/${error.code} ${error.message}`;
    throw error;
  }
  return 'accepted';
}

describe('the AINFT schema', () => {
  it('takes the seed article schema with each part inline or as another AINFT', () => {
    expect(
      failure(() =>
        validateMetadata({
          data: { hash: HASH, ainft: undefined },
          model: { name: 'gpt2-en-large', epoch: 5n, platform: 'pytorch', weightsHash: HASH, ainft: undefined },
          service: { api: 'https://ainize.ai/api', demo: 'https://ainize.ai/demo', ainft: undefined },
          state: '/apps/ain_chat/conversations',
        }),
      ),
    ).toBe('accepted');
    expect(
      failure(() =>
        validateMetadata({
          data: { hash: '', ainft: { classId: 'ainchat', id: 'whitepaper' } },
          model: { name: '', epoch: 0n, platform: '', weightsHash: '', ainft: { classId: 'ainchat', id: 'model' } },
          service: undefined,
          state: '',
        }),
      ),
    ).toBe('accepted');
  });

  it('names the field of every refusal', () => {
    const base = { data: undefined, model: undefined, service: undefined, state: '' };
    const cases: Array<[object, string]> = [
      [{ data: { hash: 'AB'.repeat(32), ainft: undefined } }, 'ainft/2 metadata.data.hash:'],
      [{ model: { name: 'x'.repeat(129), epoch: 0n, platform: '', weightsHash: '', ainft: undefined } }, 'ainft/2 metadata.model.name:'],
      [{ service: { api: '', demo: '', ainft: { classId: 'ab', id: 'xyz' } } }, 'ainft/2 metadata.service.ainft.class_id:'],
      [{ state: '/apps' }, 'ainft/2 metadata.state: /apps is not under /apps/<app>'],
      [{ state: `/apps/a/${'x/'.repeat(20)}y` }, 'ainft/2 metadata.state: /apps/a/x'],
    ];
    for (const [part, prefix] of cases)
      expect(failure(() => validateMetadata({ ...base, ...part }))).toMatch(
        new RegExp(`^${prefix.replace(/[/.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
  });
});

describe('compositions', () => {
  const child = (id: string, weight: bigint) => ({ classId: 'ainchat', id, weight });
  it('needs total_weight = owner_weight + the weights of distinct children other than the token', () => {
    expect(
      failure(() => validateComposition({ ownerWeight: 1n, children: [child('data', 2n), child('model', 7n)], totalWeight: 10n }, self)),
    ).toBe('accepted');
    expect(failure(() => validateComposition({ ownerWeight: 0n, children: [], totalWeight: 0n }, self))).toBe('accepted');
    expect(failure(() => validateComposition({ ownerWeight: 1n, children: [child('data', 2n)], totalWeight: 4n }, self))).toMatch(
      /^ainft\/8 composition.total_weight: owner_weight 1 \+ children's weights 2 = 3, not the declared 4/,
    );
    expect(failure(() => validateComposition({ ownerWeight: 0n, children: [child('chatbot', 1n)], totalWeight: 1n }, self))).toMatch(
      /^ainft\/9 composition.children\[0\]: ainchat\/chatbot is the token itself/,
    );
    expect(
      failure(() => validateComposition({ ownerWeight: 0n, children: [child('data', 10n ** 13n)], totalWeight: 10n ** 13n }, self)),
    ).toMatch(/^ainft\/8 composition.children\[0\].weight/);
  });
});

describe('messages', () => {
  it('a token minted from a job names its weights hash; a reproduce policy needs a job', () => {
    const mint = (fields: object) => MsgMint.fromPartial({ signer, classId: 'ainchat', id: 'model', ...fields });
    expect(failure(() => validateMsgMint(mint({ fromJob: 3n })))).toMatch(
      /^ainft\/2 metadata.model.weights_hash: a token minted from a job/,
    );
    expect(failure(() => validateMsgMint(mint({ fromJob: 3n, metadata: { model: { weightsHash: HASH } } })))).toBe('accepted');
    expect(failure(() => validateMsgMint(mint({ reproduce: { scoreField: 'score', tolerance: '0.1' } })))).toMatch(
      /^ainft\/1 a reproduce policy needs from_job/,
    );
    expect(
      failure(() =>
        validateMsgMint(
          mint({ fromJob: 3n, metadata: { model: { weightsHash: HASH } }, reproduce: { scoreField: 'score', tolerance: '-1' } }),
        ),
      ),
    ).toMatch(/^ainft\/1 tolerance "-1"/);
    expect(failure(() => validateMsgMint(mint({ id: 'a/b' })))).toMatch(/^ainft\/1 id "a\/b" must match/);
  });

  it('a payment is a positive amount of a named kind', () => {
    const pay = (fields: object) => MsgPay.fromPartial({ signer, classId: 'ainchat', id: 'chatbot', amount: '10', kind: 'tip', ...fields });
    expect(failure(() => validateMsgPay(pay({})))).toBe('accepted');
    expect(failure(() => validateMsgPay(pay({ amount: '0' })))).toMatch(/^ainft\/1 amount must be positive/);
    expect(failure(() => validateMsgPay(pay({ amount: '1.5' })))).toMatch(/^sdk\/10 /);
    expect(failure(() => validateMsgPay(pay({ kind: 'Tip!' })))).toMatch(/^ainft\/1 kind/);
  });
});
