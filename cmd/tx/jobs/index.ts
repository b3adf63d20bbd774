import { Command } from 'commander';
import {
  type JobsTxCommand,
  type JobsTxFlags,
  printSentTx,
  sendJobsTx,
  sendOptionsOf,
  type TxFlags,
  withTxFlags,
} from '../../common/index.ts';

interface Spec {
  readonly name: JobsTxCommand;
  readonly description: string;
  readonly args: ReadonlyArray<readonly [string, string]>;
  readonly options?: ReadonlyArray<readonly [string, string]>;
}

const SALT = ['--salt <hex>', 'the secret salt of the commitment: 16-64 bytes of lowercase hex, the same at submit and reveal'] as const;

const SPECS: readonly Spec[] = [
  {
    name: 'register',
    description: 'Register a job schema (proto3); you become its root admin',
    args: [
      ['<name>', 'job name'],
      ['<schema_file>', 'proto3 file with the messages and the Worker and Evaluator services'],
    ],
    options: [
      ['--worker-code-hash <hex>', 'sha256 of the worker code in Big Storage'],
      ['--evaluator-code-hash <hex>', 'sha256 of the evaluator code in Big Storage'],
      ['--runtime <runtime>', 'python3, node, or a runtime executors register by name (default python3)'],
      ['--worker-rpc <Service.Method>', 'the worker rpc (default: the only rpc of service Worker)'],
      ['--evaluator-rpc <Service.Method>', 'the evaluator rpc (default: the only rpc of service Evaluator)'],
      ['--cpu <n>', 'CPUs the code needs'],
      ['--memory-mb <n>', 'memory the code needs'],
      ['--gpus <n>', 'GPUs the code needs'],
      ['--gpu-memory-mb <n>', 'GPU memory the code needs'],
      ['--admin-depth <n>', 'delegation: admins may be approved down to this depth (default 0: only you)'],
      ['--max-children <n>', "delegation: most direct children per admin (default: the chain's bound)"],
      ['--description <text>', 'what the job does'],
    ],
  },
  {
    name: 'apply',
    description: 'Apply for a role in a job',
    args: [
      ['<job_id>', 'job id'],
      ['<role>', 'admin, evaluator or worker'],
    ],
  },
  {
    name: 'approve',
    description: "Approve a node's application (as an admin of the job); it becomes your child in the reputation tree",
    args: [
      ['<job_id>', 'job id'],
      ['<node>', 'address or key name'],
      ['<role>', 'admin, evaluator or worker'],
    ],
  },
  {
    name: 'drop',
    description: 'Drop one of your children from a job',
    args: [
      ['<job_id>', 'job id'],
      ['<node>', 'address or key name'],
    ],
    options: [['--reason <text>', 'why']],
  },
  {
    name: 'request',
    description: 'Request a run of a job; the rewards are escrowed until it ends',
    args: [['<job_id>', 'job id']],
    options: [
      ['--input <json>', "the input, JSON of the job's input type"],
      ['--input-hash <hex>', 'or: sha256 of the input in Big Storage'],
      ['--worker-reward <uain>', 'reward split over the ranked workers'],
      ['--reward-function <name>', 'winner-takes-all (default), even-split or ranked-weights'],
      ['--weights <list>', 'ranked-weights: a positive weight per rank, best first, e.g. 3,2,1'],
      ['--evaluator-reward <uain>', "the evaluator's reward (default 0)"],
      ['--evaluator-deposit <uain>', "what the evaluator must deposit (at least the chain's min_evaluator_deposit)"],
      ['--time-limit <seconds>', 'how long workers have to submit after an evaluator accepts'],
      ['--evaluators <list>', 'only these evaluators (addresses or key names, comma-separated)'],
      ['--workers <list>', 'only these workers'],
      ['--skip-evaluation', 'no evaluator: results are ranked by submission time'],
      ['--max-workers <n>', "most workers that may join (default: the chain's bound)"],
      ['--test-data <json>', 'commit to test data you reveal after submission closes (with --test-data-salt)'],
      ['--test-data-hash <hex>', 'or: commit to test data in Big Storage by its sha256'],
      ['--test-data-salt <hex>', 'the salt of the test data commitment (16-64 bytes of hex); keep it for reveal-test-data'],
      ['--test-data-commitment <hex>', 'or: a commitment made elsewhere'],
    ],
  },
  {
    name: 'accept',
    description: 'Accept a request as its evaluator (posting the deposit) or join it as a worker',
    args: [
      ['<request_id>', 'request id'],
      ['<role>', 'evaluator or worker'],
    ],
  },
  {
    name: 'submit',
    description: 'Commit to your result (revealed after submission closes); the commitment binds you and the request',
    args: [
      ['<request_id>', 'request id'],
      ['[output]', "your output, JSON of the job's output type"],
    ],
    options: [
      SALT,
      ['--output-hash <hex>', 'or: sha256 of your output in Big Storage'],
      ['--commitment <hex>', 'or: a commitment computed elsewhere'],
    ],
  },
  {
    name: 'reveal',
    description: 'Reveal the result you committed to',
    args: [
      ['<request_id>', 'request id'],
      ['[output]', 'the output you committed to'],
    ],
    options: [SALT, ['--output-hash <hex>', 'or: the Big Storage hash you committed to']],
  },
  {
    name: 'reveal-test-data',
    description: 'Reveal the test data your request committed to (after submission closed)',
    args: [
      ['<request_id>', 'request id'],
      ['[data]', 'the test data (JSON) you committed to'],
    ],
    options: [
      ['--salt <hex>', 'the --test-data-salt of the request'],
      ['--data-hash <hex>', 'or: the Big Storage hash you committed to'],
    ],
  },
  {
    name: 'rank',
    description: 'Rank the revealed results, best first (as the evaluator); workers left out earn nothing',
    args: [
      ['<request_id>', 'request id'],
      ['<ranking>', 'worker addresses or key names, comma-separated ("" for none)'],
    ],
  },
  {
    name: 'accept-result',
    description: 'Accept the ranking (as the client): the rewards are paid',
    args: [['<request_id>', 'request id']],
  },
  {
    name: 'challenge',
    description: 'Challenge the ranking (as the client or a worker), paying the challenge fee',
    args: [['<request_id>', 'request id']],
    options: [['--reason <text>', 'why']],
  },
  {
    name: 'resolve',
    description: 'Resolve a challenge you were assigned (as the admin above the evaluator)',
    args: [['<request_id>', 'request id']],
    options: [
      ['--uphold', 'the evaluator was wrong: its deposit goes to the challenger'],
      ['--ranking <list>', 'with --uphold: your re-evaluation, best first'],
      ['--reject', 'the ranking stands'],
      ['--reason <text>', 'why'],
    ],
  },
];

/**
 * `aind tx jobs register|apply|approve|drop|request|accept|submit|reveal|reveal-test-data|rank|accept-result|challenge|resolve`.
 * @example aind tx jobs request 1 --input '{"y":4}' --worker-reward 10 --evaluator-reward 10 --evaluator-deposit 2000000 --time-limit 30 --from carl --gas auto
 * @example aind tx jobs submit 7 '{"x":2.01}' --salt $(openssl rand -hex 32) --from w1 --gas auto
 */
export function jobsTxCommand(): Command {
  const jobs = new Command('jobs').description('Job market transactions: register jobs, run requests, rank, challenge');
  for (const spec of SPECS) {
    const command = jobs.command(spec.name).description(spec.description);
    for (const [name, description] of spec.args) command.argument(name, description);
    for (const [flag, description] of spec.options ?? []) command.option(flag, description);
    if (spec.name === 'register')
      command.option(
        '--requires <requirement>',
        'a package the runtime must have, e.g. numpy or "torch>=2.4" (repeat the flag for more)',
        (value: string, previous: string[] = []) => [...previous, value],
      );
    withTxFlags(command).action(async (...params: unknown[]) => {
      const flags = params[spec.args.length] as TxFlags & JobsTxFlags;
      const args = params.slice(0, spec.args.length) as Array<string | undefined>;
      printSentTx(await sendJobsTx({ ...sendOptionsOf(flags), command: spec.name, args, flags }), flags.output);
    });
  }
  return jobs;
}
