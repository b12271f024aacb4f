import pino from 'pino';

/** One line per event, human-readable time, info level unless KEYBENCH_LOG_LEVEL says otherwise. */
export function createLogger() {
  return pino({
    level: process.env.KEYBENCH_LOG_LEVEL ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    base: null,
  });
}
