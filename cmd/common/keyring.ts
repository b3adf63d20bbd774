/**
 * Choosing and unlocking the keyring from the command line, for every command that uses keys:
 * `--keyring-backend file|test`, else $AIND_KEYRING_BACKEND, else HOME/config/client.toml's
 * `keyring-backend` (localnets and `aind dev` write "test" there), else `file`.
 * A `file` keyring's passphrase comes from $AIND_KEYRING_PASSPHRASE when set; otherwise from a prompt
 * with hidden input when stdin is a terminal (asked twice when it sets a new keyring's passphrase);
 * otherwise from the next line of stdin (scripts: `printf 'pass\n' | aind ...`).
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { Option } from 'commander';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { clientKeyringBackend, type Keyring, type KeyringBackend, type PassphraseRequest, parseKeyringBackend } from '../../home/index.ts';

/** The env var that overrides client.toml's backend (as SIMD_KEYRING_BACKEND does for simd). */
export const KEYRING_BACKEND_ENV = 'AIND_KEYRING_BACKEND';
/** The env var a script sets to the `file` keyring's passphrase. */
export const KEYRING_PASSPHRASE_ENV = 'AIND_KEYRING_PASSPHRASE';

export interface KeyringFlags {
  keyringBackend?: string | undefined;
}

/** `--keyring-backend <file|test>` (no commander default: client.toml and the env var come first). */
export function keyringBackendOption(): Option {
  return new Option(
    '--keyring-backend <backend>',
    `keyring backend: "file" (encrypted with a passphrase; the default) or "test" (unencrypted, development only); default: $${KEYRING_BACKEND_ENV}, else HOME/config/client.toml, else file`,
  ).choices(['file', 'test']);
}

/** The backend a command uses: the flag, the env var, the home's client.toml, then `file`. */
export function resolveKeyringBackend(home: string, flag: string | undefined, env: NodeJS.ProcessEnv = process.env): KeyringBackend {
  if (flag !== undefined) return parseKeyringBackend(flag);
  const fromEnv = env[KEYRING_BACKEND_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return parseKeyringBackend(fromEnv);
  return clientKeyringBackend(home) ?? 'file';
}

/**
 * The keyring of a command's `--home` and `--keyring-backend`; a `file` keyring asks for its
 * passphrase once per process, when a secret is first read or written.
 * @example const key = await keySigner(getKey(home, 'alice', keyring), keyring)
 */
export function keyringOf(home: string, flags: KeyringFlags): Keyring {
  const backend = resolveKeyringBackend(home, flags.keyringBackend);
  if (backend === 'test') return { backend };
  let cached: Promise<string> | undefined;
  return {
    backend,
    passphrase: (request) => {
      cached ??= keyringPassphrase(request);
      return cached;
    },
  };
}

async function keyringPassphrase(request: PassphraseRequest): Promise<string> {
  const fromEnv = process.env[KEYRING_PASSPHRASE_ENV];
  if (fromEnv !== undefined) return fromEnv;
  const where = request.dir === '' ? '' : ` (${request.dir})`;
  return readSecret(`Enter keyring passphrase${where}: `, request.confirm ? 'Re-enter keyring passphrase: ' : undefined);
}

/**
 * A passphrase from the terminal (hidden; `again` asks a second time and both must match) or, when
 * stdin is not a terminal, its next line. Throws `sdk/18` when stdin ends first or the two differ.
 */
export async function readSecret(prompt: string, again?: string): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden(prompt);
    if (again !== undefined && (await promptHidden(again)) !== first) throw ainError(ErrInvalidRequest, 'the passphrases do not match');
    return first;
  }
  const line = await nextStdinLine();
  if (line === undefined) throw ainError(ErrInvalidRequest, `stdin ended before a passphrase (${prompt.replace(/:\s*$/, '')}) was read`);
  return line;
}

let stdinLines: AsyncIterator<string> | undefined;

/** The next line of a piped stdin (shared, so a mnemonic and passphrases can follow one another). */
export async function nextStdinLine(): Promise<string | undefined> {
  stdinLines ??= createInterface({ input: process.stdin, terminal: false, crlfDelay: Infinity })[Symbol.asyncIterator]();
  const next = await stdinLines.next();
  return next.done ? undefined : next.value;
}

async function promptHidden(prompt: string): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, callback) {
      if (!muted) process.stderr.write(chunk, encoding);
      callback();
    },
  });
  const rl = createInterface({ input: process.stdin, output, terminal: true });
  try {
    return await new Promise<string>((resolve) => {
      rl.question(prompt, resolve);
      muted = true;
    });
  } finally {
    rl.close();
    process.stderr.write('\n');
  }
}
