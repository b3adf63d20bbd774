import { toHex } from '@cosmjs/encoding';
import { ainError, ErrInvalidRequest } from '../../../core/index.ts';
import { type AinClient, connectAin, fetchAppHash, type JsonValue, parseJsonText, type StateKind } from '../../../client/index.ts';
import { resolveKeyOrAddress } from '../../../home/index.ts';
import { nodeHttpUrl } from '../../common/index.ts';

/** `--height H`: a positive integer, or undefined for the latest height. */
export function parseHeight(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[1-9][0-9]*$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw ainError(ErrInvalidRequest, `--height "${text}" must be a positive integer`);
  }
  return Number(text);
}

/** Flags of `query state get`. */
export interface GetFlags {
  readonly rule?: boolean | undefined;
  readonly owner?: boolean | undefined;
  readonly function?: boolean | undefined;
  readonly shallow?: boolean | undefined;
  readonly proof?: boolean | undefined;
  readonly height?: string | undefined;
}

/** What `query state get` asks the node, from its flags. */
export interface GetRequest {
  readonly kind: StateKind;
  /** 0 = deep, 1 = shallow. */
  readonly depth: number;
  readonly proof: boolean;
  readonly height: number | undefined;
}

/**
 * Checks and combines `get` flags: at most one of --rule/--owner/--function; --proof reads one value,
 * so it takes neither those nor --shallow.
 * @example parseGetFlags({ rule: true, shallow: true }) // { kind: 'rule', depth: 1, proof: false, height: undefined }
 */
export function parseGetFlags(flags: GetFlags): GetRequest {
  const kinds = (['rule', 'owner', 'function'] as const).filter((k) => flags[k]);
  if (kinds.length > 1)
    throw ainError(ErrInvalidRequest, `give at most one of --rule, --owner, --function (got ${kinds.map((k) => `--${k}`).join(', ')})`);
  const kind: StateKind = kinds[0] ?? 'value';
  if (flags.proof && kind !== 'value') throw ainError(ErrInvalidRequest, `--proof proves a value; it does not combine with --${kind}`);
  if (flags.proof && flags.shallow) throw ainError(ErrInvalidRequest, '--proof proves one leaf value; it does not combine with --shallow');
  return { kind, depth: flags.shallow ? 1 : 0, proof: flags.proof ?? false, height: parseHeight(flags.height) };
}

/** `query state get` output. */
export interface GetJson {
  path: string;
  kind: StateKind;
  value: JsonValue;
  height: string;
  /** With --proof: */
  proof?: string;
  /** The app hash of block height + 1 the proof was checked against (hex). */
  app_hash?: string;
  app_hash_height?: string;
  verified?: boolean;
}

/**
 * `query state get PATH`: the value (or rule, owner, function config) at a path; with --proof, the
 * Merkle proof and whether it verifies against the app hash in the header of the next block.
 * @example await queryStateGet('tcp://127.0.0.1:26657', '/apps/chat', parseGetFlags({ shallow: true }))
 */
export async function queryStateGet(node: string, path: string, request: GetRequest): Promise<GetJson> {
  return withClient(node, async (client) => {
    const ref = client.ref(path);
    if (!request.proof) {
      const options = { depth: request.depth, height: request.height };
      const read = { value: ref.get, rule: ref.getRule, owner: ref.getOwner, function: ref.getFunction }[request.kind];
      const { value, height } = await read(options);
      return { path, kind: request.kind, value, height: String(height) };
    }
    const answer = await ref.prove({ height: request.height });
    const appHash = await fetchAppHash(client.cometClient, answer.height + 1);
    return {
      path,
      kind: request.kind,
      value: answer.value,
      height: String(answer.height),
      proof: toHex(answer.proof),
      app_hash: toHex(appHash).toUpperCase(),
      app_hash_height: String(answer.height + 1),
      verified: await answer.verify(appHash),
    };
  });
}

/**
 * `query state eval-rule PATH VALUE --from ADDRESS_OR_KEY`: would that account be allowed to write
 * VALUE (JSON) at PATH, and which rule refuses it and why.
 */
export async function queryStateEvalRule(
  node: string,
  home: string,
  path: string,
  valueText: string,
  from: string,
  height?: number,
): Promise<{ allowed: boolean; reason: string; rule_path: string; gas_used: string; address: string; height: string }> {
  const value = JSON.parse(parseJsonText(valueText, 'VALUE')) as JsonValue;
  const address = resolveKeyOrAddress(home, from, '--from');
  return withClient(node, async (client) => {
    const result = await client.ref(path).evalRule(value, address, { height });
    return {
      allowed: result.allowed,
      reason: result.reason,
      rule_path: result.rulePath,
      gas_used: result.gasUsed.toString(),
      address,
      height: String(result.height),
    };
  });
}

/** `query state match-rule PATH`: the rule that governs writes at PATH and how its `$vars` bind. */
export async function queryStateMatchRule(
  node: string,
  path: string,
  height?: number,
): Promise<{ matched_path: string; rule: JsonValue; vars: Record<string, string>; height: string }> {
  return withClient(node, async (client) => {
    const result = await client.ref(path).matchRule({ height });
    return { matched_path: result.matchedPath, rule: result.rule, vars: { ...result.vars }, height: String(result.height) };
  });
}

async function withClient<T>(node: string, run: (client: AinClient) => Promise<T>): Promise<T> {
  const client = await connectAin({ rpcUrl: nodeHttpUrl(node) });
  try {
    return await run(client);
  } finally {
    client.disconnect();
  }
}
