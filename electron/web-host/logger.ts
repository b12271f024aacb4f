import pino from 'pino';

/**
 * Browser mode's log: one JSON line per event, ISO time, info level unless KEYBENCH_LOG_LEVEL says
 * otherwise. The station's own, so the host does not depend on the reference server (server/logger.ts
 * writes the same shape, and a shift's logs read alike).
 */
export function createStationLogger() {
  return pino({
    level: process.env.KEYBENCH_LOG_LEVEL ?? 'info',
    timestamp: pino.stdTimeFunctions.isoTime,
    base: null,
  });
}
