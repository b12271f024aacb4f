/**
 * What the shift log's actions and outcomes are called on screen and in the CSV. The log stores short
 * stable names (they are what the code and tests match on); the operator reads these words.
 */
export const shiftActionWords: Record<string, string> = {
  write: 'write licence',
  'add-keys': 'add to order',
  'add-keys queued': 'add to order queued',
  'remove-key': 'remove from order',
  'set-driver-type': 'set driver type',
  'write-license': 'write licence',
  'run started': 'run started',
  'run stopped': 'run stopped',
};

export const shiftOutcomeWords: Record<string, string> = {
  written: 'written',
  failed: 'failed',
  skipped: 'not attempted',
  cancelled: 'cancelled',
  added: 'added',
  done: 'done',
  pending: 'queued',
  stopped: 'stopped',
};

export const shiftActionInWords = (action: string): string => shiftActionWords[action] ?? action;
export const shiftOutcomeInWords = (outcome: string): string => shiftOutcomeWords[outcome] ?? outcome;
