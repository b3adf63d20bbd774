import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../../common/index.ts';
import { queryStorage, type StorageQuery, type StorageQueryFlags } from './handler.ts';

const SPECS: ReadonlyArray<{
  name: StorageQuery;
  description: string;
  args: ReadonlyArray<readonly [string, string]>;
  options: ReadonlyArray<readonly [string, string]>;
}> = [
  {
    name: 'provider',
    description: 'A storage provider: URL, backends, price per GiB-day, capacity, reserved',
    args: [['<address>', 'provider']],
    options: [],
  },
  {
    name: 'providers',
    description: 'Storage providers in address order',
    args: [],
    options: [
      ['--start-after <address>', 'the last provider of the previous page'],
      ['--limit <n>', 'providers per page'],
    ],
  },
  {
    name: 'reservation',
    description: 'A reservation: client, provider, bytes, paid, start and end',
    args: [['<reservation_id>', 'id']],
    options: [],
  },
  {
    name: 'reservations',
    description: "A client's active reservations and their sum (where a reservation id comes from)",
    args: [['<client>', 'client address']],
    options: [['--provider <address>', 'with this provider only']],
  },
  {
    name: 'access',
    description: "The access record of OWNER's copy of HASH: private, readers granted, jobs",
    args: [
      ['<hash>', 'blob sha256 (hex)'],
      ['<owner>', 'the copy owner'],
    ],
    options: [],
  },
  {
    name: 'can-read',
    description: "Whether READER may read OWNER's copy of HASH (what a storage node asks before a private read)",
    args: [
      ['<hash>', 'blob sha256 (hex)'],
      ['<owner>', 'the copy owner'],
      ['<reader>', 'the reader'],
    ],
    options: [['--time <unix_seconds>', 'the clock grants end by (default now; 0 ignores ends)']],
  },
  {
    name: 'key',
    description: "The data key of OWNER's encrypted copy of HASH as wrapped for READER",
    args: [
      ['<hash>', 'blob sha256 (hex)'],
      ['<owner>', 'the copy owner'],
      ['<reader>', 'the reader'],
    ],
    options: [],
  },
  { name: 'params', description: 'Storage module params', args: [], options: [] },
];

/**
 * `aind query storage provider|providers|reservation|reservations|access|can-read|key|params`.
 * @example aind query storage reservations ain1... --provider ain1...
 */
export function storageQueryCommand(): Command {
  const command = new Command('storage').description('Big Storage on chain: providers, reservations, access records, keys, params');
  for (const spec of SPECS) {
    const sub = command.command(spec.name).description(spec.description);
    for (const [arg, help] of spec.args) sub.argument(arg, help);
    for (const [flag, help] of spec.options) sub.option(flag, help);
    sub
      .addOption(nodeOption())
      .addOption(outputOption('json'))
      .action(async (...params: unknown[]) => {
        const flags = params[spec.args.length] as StorageQueryFlags & { node: string; output: OutputFormat };
        printResult(await queryStorage(flags.node, spec.name, params.slice(0, spec.args.length) as string[], flags), flags.output);
      });
  }
  return command;
}
