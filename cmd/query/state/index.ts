import { Command } from 'commander';
import { resolveHome } from '../../../home/index.ts';
import { homeOption, nodeOption, type OutputFormat, outputOption, printResult } from '../../common/index.ts';
import { type GetFlags, parseGetFlags, parseHeight, queryStateEvalRule, queryStateGet, queryStateMatchRule } from './handler.ts';

interface Flags {
  node: string;
  output: OutputFormat;
  height?: string;
}

/**
 * `aind query state get|eval-rule|match-rule`.
 * @example aind query state get /apps/chat/posts --shallow --output json
 * @example aind query state get /apps/chat/posts/ain1.../1/text --proof
 * @example aind query state eval-rule /apps/chat/posts/ain1.../1 '{"text":"hi"}' --from bob
 */
export function stateQueryCommand(): Command {
  const state = new Command('state').description('State tree queries: values, rules, owners, functions, proofs, rule dry runs');

  withFlags(
    state
      .command('get')
      .description('The value at a path (or its rule, owner or function config), deep by default')
      .argument('<path>', 'state path, e.g. /apps/chat/posts')
      .option('--rule', 'read the rule config instead of the value')
      .option('--owner', 'read the owner config instead of the value')
      .option('--function', 'read the function config instead of the value')
      .option('--shallow', 'only the node itself, with its children as labels')
      .option('--proof', 'also print the Merkle proof and whether it verifies against the next block header (exit 1 if not)'),
  ).action(async (path: string, flags: Flags & GetFlags) => {
    const result = await queryStateGet(flags.node, path, parseGetFlags(flags));
    printResult(result, flags.output);
    if (result.verified === false) process.exitCode = 1;
  });

  withFlags(
    state
      .command('eval-rule')
      .description('Dry run: would an account be allowed to write VALUE at PATH, and if not, why')
      .argument('<path>', 'state path')
      .argument('<value>', 'JSON value that would be written')
      .requiredOption('--from <address_or_key>', 'the would-be writer: an ain1... address or a keyring key name')
      .addOption(homeOption()),
  ).action(async (path: string, value: string, flags: Flags & { from: string; home: string }) => {
    printResult(
      await queryStateEvalRule(flags.node, resolveHome(flags.home), path, value, flags.from, parseHeight(flags.height)),
      flags.output,
    );
  });

  withFlags(
    state.command('match-rule').description('The rule that governs writes at PATH and how its $vars bind').argument('<path>', 'state path'),
  ).action(async (path: string, flags: Flags) =>
    printResult(await queryStateMatchRule(flags.node, path, parseHeight(flags.height)), flags.output),
  );

  return state;
}

function withFlags(command: Command): Command {
  return command
    .option('--height <h>', 'read the state after block H (default: latest; the node keeps recent heights only)')
    .addOption(nodeOption())
    .addOption(outputOption());
}
