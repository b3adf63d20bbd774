import { Command, Option } from 'commander';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { DEFAULT_GET_MAX_BYTES, DEFAULT_STORAGE_PORT, DEFAULT_STORAGE_URL } from '../../storage/index.ts';
import { resolveHome } from '../../home/index.ts';
import {
  homeOption,
  nodeOption,
  formatText,
  type OutputFormat,
  outputOption,
  parseCount,
  printResult,
  printSentTx,
  putFileCommand,
  sendOptionsOf,
  stopSignal,
  type TxFlags,
  withTxFlags,
  type KeyringFlags,
  keyringBackendOption,
  keyringOf,
} from '../common/index.ts';
import { storageMsg } from '../../client/index.ts';
import { accessMessage, getFile, parseGrants, putFile, sendStorage, shareKeysMessage } from './chain.ts';
import { getBlobCommand, type ServeFlags, serveStorage } from './handler.ts';

/**
 * `aind storage`: runs a Big Storage node (content-addressed blobs over HTTP, default port 7070);
 * `aind storage put FILE --from KEY` and `aind storage get HASH` talk to one.
 * @example aind storage --dir ~/.aind/storage --port 7070
 * @example aind storage put code.js --from alice --ttl 3600
 * @example aind storage get 9f86d0... --out code.js
 */
export function storageCommand(): Command {
  const storage = new Command('storage')
    .description(`Run a Big Storage node (content-addressed blobs over HTTP, default port ${DEFAULT_STORAGE_PORT}), or put/get blobs`)
    .option('--dir <dir>', 'folder for blobs and metadata (required to run the node)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .addOption(new Option('--port <port>', 'port to listen on').default(DEFAULT_STORAGE_PORT).argParser(parseCount('--port')))
    .addOption(new Option('--max-blob-bytes <n>', 'largest blob accepted (default 64 MiB)').argParser(parseCount('--max-blob-bytes')))
    .addOption(new Option('--quota-bytes <n>', 'bytes of live blobs per address (default 1 GiB)').argParser(parseCount('--quota-bytes')))
    .addOption(
      new Option('--default-ttl <seconds>', 'TTL when an upload asks for 0 (default 7 days)').argParser(parseCount('--default-ttl')),
    )
    .addOption(new Option('--max-ttl <seconds>', 'longest TTL accepted (default 30 days)').argParser(parseCount('--max-ttl')))
    .addOption(
      new Option('--sweep-seconds <n>', 'how often expired blobs and reservations are swept (default 60)').argParser(
        parseCount('--sweep-seconds'),
      ),
    )
    .addOption(
      new Option('--max-connections <n>', 'open connections accepted; more are closed at once (default 256)').argParser(
        parseCount('--max-connections'),
      ),
    )
    .addOption(
      new Option('--headers-timeout <seconds>', "time for a request's headers, else 408 (default 10)").argParser(
        parseCount('--headers-timeout'),
      ),
    )
    .addOption(
      new Option('--request-timeout <seconds>', 'time for a whole request, upload included, else 408 (default 600)').argParser(
        parseCount('--request-timeout'),
      ),
    )
    .addOption(
      new Option('--idle-timeout <seconds>', 'a connection with no byte moving this long is closed (default 30)').argParser(
        parseCount('--idle-timeout'),
      ),
    )
    .option(
      '--backend <name>',
      'where bytes live: folder (DIR/blobs), s3 (credentials from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY) or ipfs',
      'folder',
    )
    .option('--s3-endpoint <url>', 'S3-compatible endpoint (default: AWS)')
    .option('--s3-bucket <name>', 'bucket (created when missing)', 'ain-storage')
    .option('--ipfs-api <url>', "Kubo's RPC API", 'http://127.0.0.1:5001')
    .option(
      '--chain <url>',
      "the chain's node: reservations count toward quotas (no free quota unless --quota-bytes) and it decides private reads",
    )
    .option(
      '--register-as <key>',
      'with --chain: the provider key (in --key-home); the node registers itself (URL, backend, price, capacity) at start',
    )
    .option('--key-home <dir>', 'the keyring home of --register-as (default ~/.aind)')
    .addOption(keyringBackendOption())
    .option('--public-url <url>', 'URL registered on chain (default: the one it listens on)')
    .option('--price <uain>', 'price per GiB-day registered on chain', '0')
    .addOption(new Option('--capacity <bytes>', 'bytes offered for reservations (default 1 TiB)').argParser(parseCount('--capacity')))
    .action(
      async (
        flags: Omit<ServeFlags, 'dir' | 'node' | 'from' | 'home' | 'keyring'> &
          KeyringFlags & { dir?: string; chain?: string; registerAs?: string; keyHome?: string },
      ) => {
        if (flags.dir === undefined) throw ainError(ErrInvalidRequest, '--dir is required to run a storage node (or use: storage put|get)');
        const { chain, registerAs, keyHome, keyringBackend, ...rest } = flags;
        const home = resolveHome(keyHome);
        const server = await serveStorage({
          ...rest,
          dir: flags.dir,
          home,
          keyring: keyringOf(home, { keyringBackend }),
          ...(chain === undefined ? {} : { node: chain }),
          ...(registerAs === undefined ? {} : { from: registerAs }),
        });
        process.stdout.write(`${JSON.stringify({ url: server.url, dir: flags.dir, address: server.address })}\n`);
        await stopSignal();
        await server.close();
      },
    );

  storage
    .command('put')
    .description('Upload FILE signed by a keyring key; prints {hash, size, expiresAt}')
    .argument('<file>', 'file to upload')
    .requiredOption('--from <key>', 'key name or address that signs the upload (and is charged the quota)')
    .option('--url <url>', 'storage node', DEFAULT_STORAGE_URL)
    .addOption(new Option('--ttl <seconds>', 'seconds to keep the blob (0: the server default)').default(0).argParser(parseCount('--ttl')))
    .option('--private', 'only the uploader and readers the chain admits may read this copy')
    .option('--encrypt', 'encrypt with a fresh data key first (kept in HOME/storage-keys.json); implies --private')
    .addOption(keyringBackendOption())
    .addOption(homeOption())
    .addOption(outputOption('json'))
    .action(
      async (
        file: string,
        flags: KeyringFlags & {
          from: string;
          url: string;
          ttl: number;
          home: string;
          output: OutputFormat;
          private?: boolean;
          encrypt?: boolean;
        },
      ) => {
        const home = resolveHome(flags.home);
        const keyring = keyringOf(home, flags);
        const result =
          flags.private || flags.encrypt
            ? await putFile(home, flags.from, flags.url, file, { ...flags, keyring })
            : await putFileCommand(home, file, flags.from, flags.url, flags.ttl, keyring);
        printResult(result, flags.output);
      },
    );

  storage
    .command('get')
    .description('Download a blob by its sha256 and check it; writes it to --out or to stdout')
    .argument('<hash>', 'sha256 of the blob (64 hex characters)')
    .option('--url <url>', 'storage node', DEFAULT_STORAGE_URL)
    .option('--out <file>', 'write the blob to this file instead of stdout')
    .addOption(new Option('--max-bytes <n>', 'refuse larger blobs').default(DEFAULT_GET_MAX_BYTES).argParser(parseCount('--max-bytes')))
    .option('--from <key>', 'sign the read with this key (private copies); needs --out')
    .option('--owner <address>', 'with --from: decrypt with the key the owner shared (or revealed); your own address: your kept key')
    .addOption(keyringBackendOption())
    .addOption(homeOption())
    .addOption(nodeOption())
    .action(
      async (
        hash: string,
        flags: KeyringFlags & { url: string; out?: string; maxBytes: number; from?: string; owner?: string; home: string; node: string },
      ) => {
        if (flags.from !== undefined) {
          if (flags.out === undefined) throw ainError(ErrInvalidRequest, '--from needs --out: private blobs are streamed to a file');
          const home = resolveHome(flags.home);
          const written = await getFile(home, flags.from, flags.url, hash, flags.out, flags.owner, flags.node, keyringOf(home, flags));
          process.stderr.write(`wrote ${written} bytes to ${flags.out}\n`);
          return;
        }
        const bytes = await getBlobCommand(flags.url, hash, flags.maxBytes, flags.out);
        if (flags.out === undefined) process.stdout.write(bytes);
        else process.stderr.write(`wrote ${bytes.length} bytes to ${flags.out}\n`);
      },
    );

  const tx = (name: string, description: string) => withTxFlags(storage.command(name).description(description));
  tx('access', 'Set who may read your copy of HASH: --public, --grant ADDR[@UNIX_SECONDS]..., or --request ID (its accepted nodes)')
    .argument('<hash>')
    .option('--public', 'anyone')
    .option(
      '--grant <address>',
      'a reader, optionally until @UNIX_SECONDS (repeatable)',
      (v: string, all: string[]) => [...all, v],
      [] as string[],
    )
    .option('--request <id>', 'the evaluator, joined workers and resolver of this job request')
    .option('--test-data', "with --request: the key is revealed only after the request's submission closes")
    .option('--provider <address>', 'the provider keeping it (readers look up its URL)')
    .action(
      async (
        hash: string,
        flags: TxFlags & { public?: boolean; grant: string[]; request?: string; testData?: boolean; provider?: string },
      ) => {
        const options = sendOptionsOf(flags);
        printSentTx(await sendStorage(options, (signer) => [accessMessage(options.home, signer, hash, flags)]), flags.output, formatText);
      },
    );
  tx('grant', 'Let ADDR[@UNIX_SECONDS]... read your copy of HASH')
    .argument('<hash>')
    .argument('<grants...>')
    .action(async (hash: string, grants: string[], flags: TxFlags) => {
      printSentTx(
        await sendStorage(sendOptionsOf(flags), (signer) => [storageMsg.grant(signer, { hash, grants: parseGrants(grants) })]),
        flags.output,
        formatText,
      );
    });
  tx('revoke', 'Remove the grants (and shared keys) of ADDRESS... on HASH')
    .argument('<hash>')
    .argument('<addresses...>')
    .action(async (hash: string, addresses: string[], flags: TxFlags) => {
      printSentTx(
        await sendStorage(sendOptionsOf(flags), (signer) => [storageMsg.revoke(signer, { hash, addresses })]),
        flags.output,
        formatText,
      );
    });
  tx('share-key', "Publish HASH's data key wrapped for each READER the chain admits")
    .argument('<hash>')
    .argument('<readers...>')
    .action(async (hash: string, readers: string[], flags: TxFlags) => {
      const options = sendOptionsOf(flags);
      printSentTx(
        await sendStorage(options, async (signer) => [await shareKeysMessage(options, signer, hash, readers)]),
        flags.output,
        formatText,
      );
    });
  tx('reserve', 'Reserve BYTES with PROVIDER for --seconds, escrowing the price')
    .argument('<provider>')
    .argument('<bytes>')
    .requiredOption('--seconds <n>', 'how long')
    .option('--max-price <uain>', 'refuse a higher price')
    .action(async (provider: string, bytes: string, flags: TxFlags & { seconds: string; maxPrice?: string }) => {
      const msg = (signer: string) => [
        storageMsg.reserve(signer, {
          provider,
          bytes: BigInt(bytes),
          durationSeconds: BigInt(flags.seconds),
          maxPrice: flags.maxPrice ?? '',
        }),
      ];
      printSentTx(await sendStorage(sendOptionsOf(flags), msg), flags.output, formatText);
    });
  tx('cancel', 'Cancel reservation ID: the provider is paid up to now, the rest refunded')
    .argument('<id>')
    .action(async (id: string, flags: TxFlags) => {
      printSentTx(
        await sendStorage(sendOptionsOf(flags), (signer) => [storageMsg.cancelReservation(signer, { reservationId: BigInt(id) })]),
        flags.output,
        formatText,
      );
    });
  return storage;
}
