import { ainError, ErrInvalidRequest } from '../../core/index.ts';

/** Default `--node`: the local CometBFT RPC, as in simd. */
export const DEFAULT_NODE = 'tcp://127.0.0.1:26657';

/**
 * Maps a `--node` value to the http(s) URL CosmJS connects to: `tcp://host:port` becomes
 * `http://host:port`; http, https, ws and wss URLs are kept (ws maps to http); a bare `host:port`
 * gets `http://`.
 * @example nodeHttpUrl('tcp://127.0.0.1:26657') // 'http://127.0.0.1:26657'
 */
export function nodeHttpUrl(node: string = DEFAULT_NODE): string {
  const trimmed = node.trim().replace(/\/+$/, '');
  const match = /^([a-z]+):\/\/(.+)$/i.exec(trimmed);
  if (!match) {
    if (/^[^/:]+:\d+$/.test(trimmed)) return `http://${trimmed}`;
    throw ainError(ErrInvalidRequest, `--node "${node}" is not a URL; expected e.g. ${DEFAULT_NODE}`);
  }
  const scheme = match[1]!.toLowerCase();
  const rest = match[2]!;
  switch (scheme) {
    case 'tcp':
    case 'http':
    case 'ws':
      return `http://${rest}`;
    case 'https':
    case 'wss':
      return `https://${rest}`;
    default:
      throw ainError(ErrInvalidRequest, `--node "${node}" has scheme "${scheme}"; expected tcp, http or https`);
  }
}
