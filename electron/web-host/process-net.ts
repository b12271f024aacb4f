/**
 * The browser-mode host's last line of defence. The host is one process carrying the operator's UI,
 * the bench, the outbox worker and (by default) the reference server: one stray error must not end
 * all of them. Errors that escape every handler are logged with their stack and the process keeps
 * serving; the per-connection nets in web-server.ts mean only a bug reaches this far.
 *
 * Installed once the host is up: an error during start-up still ends the process with its message.
 */
export function installProcessNet(log: (message: string, error: unknown) => void): () => void {
  const report = (what: string) => (error: unknown) => {
    try {
      log(`${what}; the station keeps running`, error);
    } catch {
      // The logger itself failed: stderr is all that is left, and it must not throw either.
      try {
        process.stderr.write(`keybench station: ${what}: ${String(error)}\n`);
      } catch {
        /* nothing else to try */
      }
    }
  };
  const onException = report('unexpected error no handler caught');
  const onRejection = report('unexpected promise rejection no handler caught');
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
  };
}
