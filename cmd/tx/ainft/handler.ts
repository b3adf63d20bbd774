/**
 * The messages of `aind tx ainft ...` from command-line text: every argument is checked here before
 * the node is contacted (metadata as the chain checks it, children as CLASS/ID:WEIGHT, addresses or
 * key names), then the message is signed with the keyring key and broadcast.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { EncodeObject } from '@cosmjs/proto-signing';
import { ainError, ErrInvalidRequest } from '../../../core/index.ts';
import { ainftMsg, compositionOf, metadataFromJson, parseChildren } from '../../../client/index.ts';
import { resolveKeyOrAddress } from '../../../home/index.ts';
import { type BroadcastOutcome, parseId, type SendOptions, sendMessages } from '../../common/index.ts';

export const AINFT_TX_COMMANDS = [
  'create-class',
  'set-minters',
  'mint',
  'transfer',
  'approve',
  'approve-all',
  'revoke',
  'burn',
  'compose',
  'rerun',
  'pay',
] as const;
export type AinftTxCommand = (typeof AINFT_TX_COMMANDS)[number];

/** Options of the commands (commander's camelCase of each `--flag`), text as typed. */
export interface AinftTxFlags {
  readonly name?: string | undefined;
  readonly symbol?: string | undefined;
  readonly description?: string | undefined;
  readonly uri?: string | undefined;
  readonly uriHash?: string | undefined;
  readonly minters?: string | undefined;
  readonly metadata?: string | undefined;
  readonly children?: string | undefined;
  readonly ownerWeight?: string | undefined;
  readonly fromJob?: string | undefined;
  readonly to?: string | undefined;
  readonly scoreField?: string | undefined;
  readonly tolerance?: string | undefined;
  readonly revoke?: boolean | undefined;
  readonly workerReward?: string | undefined;
  readonly evaluatorReward?: string | undefined;
  readonly evaluatorDeposit?: string | undefined;
  readonly timeLimit?: string | undefined;
  readonly skipEvaluation?: boolean | undefined;
  readonly evaluators?: string | undefined;
  readonly workers?: string | undefined;
  readonly maxWorkers?: string | undefined;
  readonly kind?: string | undefined;
  readonly note?: string | undefined;
}

const refuse = (detail: string): never => {
  throw ainError(ErrInvalidRequest, detail);
};

function count(text: string | undefined, flag: string): bigint {
  if (text === undefined) return 0n;
  if (!/^(0|[1-9][0-9]{0,17})$/.test(text)) refuse(`${flag} "${text}" must be a non-negative integer`);
  return BigInt(text);
}

function addresses(home: string, text: string | undefined, flag: string): string[] {
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((item) => resolveKeyOrAddress(home, item.trim(), `${flag} entry`));
}

/** `--metadata`: JSON text, or `@FILE` holding it. */
function metadataArgument(text: string | undefined) {
  if (text === undefined) return undefined;
  let source = text;
  if (text.startsWith('@')) {
    if (!existsSync(text.slice(1))) refuse(`--metadata file ${text.slice(1)} does not exist`);
    source = readFileSync(text.slice(1), 'utf8');
  }
  let json: unknown;
  try {
    json = JSON.parse(source);
  } catch (cause) {
    return refuse(`--metadata is not valid JSON (${(cause as Error).message})`);
  }
  return metadataFromJson(json);
}

/**
 * The message of one `tx ainft` command for `signer`.
 * @example ainftTxMessage('pay', ['ainchat', 'chatbot', '1000'], { kind: 'tip' }, 'ain1...', home)
 */
export function ainftTxMessage(
  command: AinftTxCommand,
  args: readonly string[],
  flags: AinftTxFlags,
  signer: string,
  home: string,
): EncodeObject {
  const [classId = '', id = '', third = ''] = args;
  switch (command) {
    case 'create-class':
      return ainftMsg.createClass(signer, {
        id: classId,
        name: flags.name ?? '',
        symbol: flags.symbol ?? '',
        description: flags.description ?? '',
        uri: flags.uri ?? '',
        uriHash: flags.uriHash ?? '',
        minters: addresses(home, flags.minters, '--minters'),
      });
    case 'set-minters':
      return ainftMsg.setMinters(signer, { classId, minters: addresses(home, id, 'MINTERS') });
    case 'mint':
      if (flags.tolerance !== undefined && flags.scoreField === undefined)
        refuse('--tolerance needs --score-field (the output number it applies to)');
      return ainftMsg.mint(signer, {
        classId,
        id,
        owner: flags.to === undefined ? '' : resolveKeyOrAddress(home, flags.to, '--to'),
        uri: flags.uri ?? '',
        uriHash: flags.uriHash ?? '',
        metadata: metadataArgument(flags.metadata),
        composition: compositionOf(parseChildren(flags.children ?? '', '--children'), count(flags.ownerWeight, '--owner-weight')),
        fromJob: flags.fromJob === undefined ? 0n : parseId(flags.fromJob, '--from-job'),
        reproduce: flags.scoreField === undefined ? undefined : { scoreField: flags.scoreField, tolerance: flags.tolerance ?? '0' },
      });
    case 'transfer':
      return ainftMsg.transfer(signer, { classId, id, receiver: resolveKeyOrAddress(home, third, 'RECEIVER') });
    case 'approve':
      return ainftMsg.approve(signer, { classId, id, spender: resolveKeyOrAddress(home, third, 'SPENDER') });
    case 'approve-all':
      return ainftMsg.setApprovalForAll(signer, { operator: resolveKeyOrAddress(home, classId, 'OPERATOR'), approved: !flags.revoke });
    case 'revoke':
      return ainftMsg.revoke(signer, { classId, id });
    case 'burn':
      return ainftMsg.burn(signer, { classId, id });
    case 'compose':
      return ainftMsg.setComposition(signer, {
        classId,
        id,
        composition: compositionOf(parseChildren(third, 'CHILDREN'), count(flags.ownerWeight, '--owner-weight')),
      });
    case 'rerun':
      if (flags.workerReward === undefined || flags.timeLimit === undefined) refuse('rerun needs --worker-reward and --time-limit');
      return ainftMsg.requestRerun(signer, {
        classId,
        id,
        workerReward: flags.workerReward!,
        evaluatorReward: flags.evaluatorReward ?? '',
        evaluatorDeposit: flags.evaluatorDeposit ?? '',
        timeLimitSeconds: count(flags.timeLimit, '--time-limit'),
        skipEvaluation: flags.skipEvaluation ?? false,
        evaluators: addresses(home, flags.evaluators, '--evaluators'),
        workers: addresses(home, flags.workers, '--workers'),
        maxWorkers: Number(count(flags.maxWorkers, '--max-workers')),
      });
    case 'pay':
      if (!/^[1-9][0-9]{0,30}$/.test(third)) refuse(`AMOUNT "${third}" must be a positive number of uain`);
      return ainftMsg.pay(signer, { classId, id, amount: third, kind: flags.kind ?? 'service', memo: flags.note ?? '' });
  }
}

/** Builds the command's message for the `--from` key, signs, broadcasts and waits for the block. */
export function sendAinftTx(
  options: SendOptions,
  command: AinftTxCommand,
  args: readonly string[],
  flags: AinftTxFlags,
): Promise<BroadcastOutcome> {
  return sendMessages(options, (signer) => [ainftTxMessage(command, args, flags, signer, options.home)]);
}
