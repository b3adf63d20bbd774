import { Command, Option } from 'commander';
import { ainError, ErrInvalidRequest } from '../../core/index.ts';
import { DEFAULT_GET_MAX_BYTES, DEFAULT_STORAGE_PORT, DEFAULT_STORAGE_URL } from '../../storage/index.ts';
import { resolveHome } from '../../home/index.ts';
import { homeOption, type OutputFormat, outputOption, parseCount, printResult, putFileCommand, stopSignal } from '../common/index.ts';
import { getBlobCommand, serveStorage } from './handler.ts';

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
    .action(
      async (flags: {
        dir?: string;
        host: string;
        port: number;
        maxBlobBytes?: number;
        quotaBytes?: number;
        defaultTtl?: number;
        maxTtl?: number;
      }) => {
        if (flags.dir === undefined) throw ainError(ErrInvalidRequest, '--dir is required to run a storage node (or use: storage put|get)');
        const server = await serveStorage({ ...flags, dir: flags.dir });
        process.stdout.write(`${JSON.stringify({ url: server.url, dir: flags.dir })}\n`);
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
    .addOption(homeOption())
    .addOption(outputOption('json'))
    .action(async (file: string, flags: { from: string; url: string; ttl: number; home: string; output: OutputFormat }) => {
      const result = await putFileCommand(resolveHome(flags.home), file, flags.from, flags.url, flags.ttl);
      printResult(result, flags.output);
    });

  storage
    .command('get')
    .description('Download a blob by its sha256 and check it; writes it to --out or to stdout')
    .argument('<hash>', 'sha256 of the blob (64 hex characters)')
    .option('--url <url>', 'storage node', DEFAULT_STORAGE_URL)
    .option('--out <file>', 'write the blob to this file instead of stdout')
    .addOption(new Option('--max-bytes <n>', 'refuse larger blobs').default(DEFAULT_GET_MAX_BYTES).argParser(parseCount('--max-bytes')))
    .action(async (hash: string, flags: { url: string; out?: string; maxBytes: number }) => {
      const bytes = await getBlobCommand(flags.url, hash, flags.maxBytes, flags.out);
      if (flags.out === undefined) process.stdout.write(bytes);
      else process.stderr.write(`wrote ${bytes.length} bytes to ${flags.out}\n`);
    });

  return storage;
}
