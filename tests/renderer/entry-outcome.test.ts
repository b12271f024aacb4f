import { describe, expect, it } from 'vitest';
import { entryOutcome } from '../../renderer/src/screens/queue/entry-outcome';
import { anEntry } from './support/samples';

describe('what a Queue row says about an item', () => {
  it('"Done" for an item sent first time, and "… after retry" in its kind\'s words when it took retries', () => {
    expect(entryOutcome(anEntry({ status: 'done' }))).toEqual({ text: 'Done', tone: 'ok', succeeded: true });
    expect(entryOutcome(anEntry({ status: 'done', retries: 2, kind: 'add-keys' })).text).toBe(
      'Added after retry',
    );
    expect(entryOutcome(anEntry({ status: 'done', retries: 1, kind: 'remove-key' })).text).toBe(
      'Removed after retry',
    );
    expect(entryOutcome(anEntry({ status: 'done', retries: 1, kind: 'set-driver-type' })).text).toBe(
      'Driver set after retry',
    );
    expect(entryOutcome(anEntry({ status: 'done', retries: 1 })).text).toBe('Written after retry');
  });

  it('a failed write a later write put the licence on reads green, "Written after retry", not cancelled', () => {
    expect(entryOutcome(anEntry({ status: 'cancelled', supersededBy: 12 }))).toEqual({
      text: 'Written after retry',
      tone: 'ok',
      succeeded: true,
    });
    // Cancelled by the operator: plain, and no success.
    expect(entryOutcome(anEntry({ status: 'cancelled' }))).toEqual({
      text: 'Cancelled',
      tone: 'plain',
      succeeded: false,
    });
  });

  it('a failure in red, one being checked with the server as a warning, one on its way as busy', () => {
    expect(entryOutcome(anEntry({ status: 'failed' }))).toEqual({
      text: 'Failed',
      tone: 'bad',
      succeeded: false,
    });
    expect(entryOutcome(anEntry({ status: 'needs-reconcile' }))).toEqual({
      text: 'Checking with the server',
      tone: 'warn',
      succeeded: false,
    });
    expect(entryOutcome(anEntry({ status: 'pending' }))).toMatchObject({
      text: 'Waiting to be sent',
      tone: 'busy',
    });
    expect(entryOutcome(anEntry({ status: 'in-flight' }))).toMatchObject({ text: 'Sending', tone: 'busy' });
  });
});
