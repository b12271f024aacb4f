import type { OutboxEntry } from '../../../../shared/station/models';
import { outboxStatusText } from '../../components/OutboxItemActions';

export type OutcomeTone = 'ok' | 'busy' | 'warn' | 'bad' | 'plain';

export interface EntryOutcome {
  text: string;
  tone: OutcomeTone;
  /** The item's own failure is no longer the operator's business: its key ended up written. */
  succeeded: boolean;
}

const afterRetry: Record<OutboxEntry['kind'], string> = {
  'add-keys': 'Added after retry',
  'remove-key': 'Removed after retry',
  'set-driver-type': 'Driver set after retry',
  'write-license': 'Written after retry',
};

/**
 * What a Queue row says about an item. A failed write whose key a later write put the licence on is
 * closed as cancelled in the outbox, but for the operator its story ends in success: it reads green,
 * "Written after retry", never as a cancelled failure.
 */
export function entryOutcome(entry: OutboxEntry): EntryOutcome {
  if (entry.status === 'cancelled' && entry.supersededBy !== null)
    return { text: afterRetry['write-license'], tone: 'ok', succeeded: true };
  switch (entry.status) {
    case 'done':
      return { text: entry.retries > 0 ? afterRetry[entry.kind] : 'Done', tone: 'ok', succeeded: true };
    case 'failed':
      return { text: outboxStatusText.failed, tone: 'bad', succeeded: false };
    case 'needs-reconcile':
      return { text: outboxStatusText['needs-reconcile'], tone: 'warn', succeeded: false };
    case 'cancelled':
      return { text: outboxStatusText.cancelled, tone: 'plain', succeeded: false };
    default:
      return { text: outboxStatusText[entry.status], tone: 'busy', succeeded: false };
  }
}
