import { Command } from 'commander';
import { nodeOption, type OutputFormat, outputOption, printResult } from '../common/index.ts';
import { formatStatus, nodeStatus } from './handler.ts';

/**
 * `aind status`: the node's CometBFT status.
 * @example aind status --node tcp://127.0.0.1:26657 --output json
 */
export function statusCommand(): Command {
  return new Command('status')
    .description("Query the node's status (CometBFT /status)")
    .addOption(nodeOption())
    .addOption(outputOption())
    .action(async (flags: { node: string; output: OutputFormat }) => {
      const status = await nodeStatus(flags.node);
      printResult(status, flags.output, formatStatus);
    });
}
