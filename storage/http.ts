/**
 * The HTTP plumbing of a storage node: reading `x-ain-*` headers with their bounds, the signer
 * headers every signed request carries (address, pubkey that hashes to it, nonce, signature), and
 * answering JSON results and `{code, codespace, message}` errors with their HTTP status.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AinError, ainError, type ErrorDefinition, parseAddress, pubkeyToAddress } from '../core/index.ts';
import { ErrStorageBadRequest, ErrStorageInternal, ErrStorageUnauthorized, httpStatusOf, STORAGE } from './errors.ts';
import { NONCE_PATTERN } from './signing.ts';

/** How long a refused upload's remaining body is read and dropped before the connection is cut. */
const DRAIN_MS = 5000;

export function header(req: IncomingMessage, name: string, maxChars: number): string {
  const value = req.headers[name];
  if (typeof value !== 'string' || value.length === 0) throw ainError(ErrStorageBadRequest, `header ${name} is missing`);
  if (value.length > maxChars)
    throw ainError(ErrStorageBadRequest, `header ${name} is ${value.length} characters; expected at most ${maxChars}`);
  return value;
}

export function decimal(text: string, name: string): number {
  if (!/^(0|[1-9]\d{0,14})$/.test(text))
    throw ainError(ErrStorageBadRequest, `header ${name} "${text}" must be a decimal integer without leading zeros`);
  return Number(text);
}

/** The signer of a request: address, its pubkey, the nonce and the signature bytes (not yet verified). */
export interface SignerHeaders {
  readonly address: string;
  readonly pubkey: Uint8Array;
  readonly nonce: string;
  readonly signature: Uint8Array;
}

/** Reads and checks the shape of the signer headers; the pubkey must hash to the address. */
export function signerHeaders(req: IncomingMessage): SignerHeaders {
  const address = header(req, 'x-ain-address', 90);
  try {
    parseAddress(address, 'x-ain-address');
  } catch (error) {
    throw ainError(ErrStorageBadRequest, (error as Error).message);
  }
  const pubkeyText = header(req, 'x-ain-pubkey', 64);
  const pubkey = Buffer.from(pubkeyText, 'base64');
  if (pubkey.length !== 33 || pubkey.toString('base64') !== pubkeyText) {
    throw ainError(ErrStorageBadRequest, 'x-ain-pubkey must be the base64 of a 33-byte compressed secp256k1 public key');
  }
  const derived = pubkeyToAddress(pubkey);
  if (derived !== address) throw ainError(ErrStorageUnauthorized, `x-ain-pubkey belongs to ${derived}, not to x-ain-address ${address}`);
  const nonce = header(req, 'x-ain-nonce', 80);
  if (!NONCE_PATTERN.test(nonce)) {
    throw ainError(ErrStorageBadRequest, 'x-ain-nonce must be <unix ms, 13 digits>-<8 to 64 characters of [A-Za-z0-9_]>');
  }
  const signatureText = header(req, 'x-ain-signature', 100);
  const signature = Buffer.from(signatureText, 'base64');
  if (signature.length !== 64 || signature.toString('base64') !== signatureText) {
    throw ainError(ErrStorageBadRequest, 'x-ain-signature must be the base64 of a 64-byte r||s secp256k1 signature');
  }
  return { address, pubkey, nonce, signature };
}

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export function sendError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  // The client went away (or a limit cut its connection): there is no one to answer, and it is no fault of the node.
  if (res.destroyed || req.socket.destroyed) return;
  const known = error instanceof AinError && error.codespace === STORAGE;
  const definition: Pick<ErrorDefinition, 'code'> = known ? error : ErrStorageInternal;
  const message = known ? error.message : `${ErrStorageInternal.description}: ${String((error as Error)?.message ?? error)}`;
  if (!known) process.stderr.write(`storage: ${req.method} ${req.url}: ${String((error as Error)?.stack ?? error)}\n`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A refused upload may leave body bytes unread: the rest of the body is read and dropped (for at
  // most a few seconds, then the connection is cut) so the client reads the answer instead of a
  // reset in the middle of its write.
  const status = httpStatusOf(definition.code);
  sendJson(res, status, { code: definition.code, codespace: STORAGE, message });
  if (!req.complete) {
    const timer = setTimeout(() => req.destroy(), DRAIN_MS);
    req.on('end', () => clearTimeout(timer));
    req.on('error', () => clearTimeout(timer));
    req.resume();
  }
}
