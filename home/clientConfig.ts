/**
 * HOME/config/client.toml, as the Cosmos SDK keeps it: the client-side settings of a home. Only
 * `keyring-backend` is read here; localnets and `aind dev` write `keyring-backend = "test"` into the
 * homes they make, so their keys stay usable unattended, and that choice is visible in the file.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type KeyringBackend, parseKeyringBackend } from './keyring.ts';
import { getTomlValue, setTomlValue } from './toml.ts';

/** HOME/config/client.toml. */
export function clientTomlPath(home: string): string {
  return join(home, 'config', 'client.toml');
}

/** The `keyring-backend` a home's client.toml names, or undefined (no file, no key). */
export function clientKeyringBackend(home: string): KeyringBackend | undefined {
  const path = clientTomlPath(home);
  if (!existsSync(path)) return undefined;
  const value = getTomlValue(readFileSync(path, 'utf8'), '', 'keyring-backend');
  return value === undefined ? undefined : parseKeyringBackend(String(value));
}

/**
 * Sets `keyring-backend` in HOME/config/client.toml (made when absent, other lines kept).
 * @example setClientKeyringBackend(home, 'test')
 */
export function setClientKeyringBackend(home: string, backend: KeyringBackend): void {
  const path = clientTomlPath(home);
  mkdirSync(join(home, 'config'), { recursive: true });
  const text = existsSync(path)
    ? readFileSync(path, 'utf8')
    : '# Client settings of this home (read by aind commands that use keys).\n# keyring-backend: "file" (encrypted, the default) or "test" (unencrypted, development only)\n';
  writeFileSync(path, setTomlValue(text, '', 'keyring-backend', backend));
}
