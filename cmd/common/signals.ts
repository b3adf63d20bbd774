/**
 * Resolves with the first SIGINT or SIGTERM the process receives (Ctrl-C, `kill`, a supervisor
 * stopping it); both listeners are removed then, so a second signal gets the default action.
 * @example const signal = await stopSignal(); await server.close();
 */
export function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
