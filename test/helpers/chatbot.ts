/**
 * The chatbot of `examples/ainft/chatbot` as a service program, made the way its owner makes it: the
 * bigram model trained on the AI Network white paper by the example's worker program, then bundled
 * into the service program by `bundle.py`. Shared by the AI services end-to-end test and
 * `bench/httpFunctions.ts`, so both serve the same program.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../home/index.ts';

/** The example's folder: worker.py, bundle.py, serve.py, whitepaper.txt. */
export const CHATBOT_DIR = join(REPO_ROOT, 'examples', 'ainft', 'chatbot');

/** Questions the white paper's model has words for. */
export const CHATBOT_QUESTIONS: readonly string[] = ['What is AI Network?', 'How are workers paid?', 'Who evaluates the results?'];

/**
 * Runs a python3 program with `input` on stdin; resolves with its stdout, rejects when it fails.
 *
 * @example const answer = JSON.parse(await python(serviceFile, [], JSON.stringify({ question })));
 */
export function python(file: string, args: readonly string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile('python3', [file, ...args], { maxBuffer: 16 << 20 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
    child.stdin?.end(input ?? '');
  });
}

/** The trained model and the service program bundling it, written into a folder. */
export interface ChatbotService {
  /** The worker's output: the model AINFT's weights. */
  readonly modelFile: string;
  /** `service.py`: serve.py with the model written in. */
  readonly serviceFile: string;
  /** The service program's text (what goes to Big Storage; its hash is the function's code hash). */
  readonly code: string;
}

/**
 * Trains the chatbot on the white paper (10% held out) with `worker.py` and bundles the model into
 * the service program with `bundle.py`, writing `model.json` and `service.py` into `dir`.
 *
 * @example const { code } = await buildChatbotService(dir); await putBlob(storageUrl, new TextEncoder().encode(code), account);
 */
export async function buildChatbotService(dir: string): Promise<ChatbotService> {
  const corpus = JSON.stringify({ text: readFileSync(join(CHATBOT_DIR, 'whitepaper.txt'), 'utf8'), holdout_percent: 10 });
  const modelFile = join(dir, 'model.json');
  writeFileSync(modelFile, await python(join(CHATBOT_DIR, 'worker.py'), [], corpus));
  const code = await python(join(CHATBOT_DIR, 'bundle.py'), [modelFile]);
  const serviceFile = join(dir, 'service.py');
  writeFileSync(serviceFile, code);
  return { modelFile, serviceFile, code };
}
