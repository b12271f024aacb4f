/**
 * Words, not codes (issue 10): every error the operator sees leads with a sentence and an action; the
 * codes and the station's raw text ("ECONNREFUSED…", "serverUrl: Invalid URL") are for the details.
 */
import { describe, expect, it } from 'vitest';
import { StationLinkError, StationRequestError } from '../../shared/ipc/station-api';
import { describeError, describeStoredError } from '../../renderer/src/station/describe-error';

const developerTerms = /ECONN|ETIMEDOUT|[A-Z]{3,}_[A-Z_]+|Invalid URL|serverUrl|undefined|Error:/;

function expectWords(described: { summary: string; advice?: string }) {
  expect(described.summary).toMatch(/^[A-Z].*\.$/);
  expect(described.summary).not.toMatch(developerTerms);
  if (described.advice !== undefined) {
    expect(described.advice).toMatch(/^[A-Z].*\.$/);
    expect(described.advice).not.toMatch(developerTerms);
  }
}

describe('errors in words', () => {
  it('server unreachable: a sentence, an action; ECONNREFUSED and the code only in details', () => {
    const d = describeError(
      new StationRequestError({
        code: 'SERVER_UNREACHABLE',
        message: 'Server unreachable: connect ECONNREFUSED 127.0.0.1:8780',
      }),
    );
    expectWords(d);
    expect(d.summary).toBe('The Guardant server cannot be reached.');
    expect(d.code).toBe('SERVER_UNREACHABLE');
    expect(d.message).toContain('ECONNREFUSED');
  });

  it('an invalid URL in Settings names the field in words and says how to fix it', () => {
    const d = describeError(
      new StationRequestError({ code: 'INVALID_REQUEST', message: 'serverUrl: Invalid URL' }),
    );
    expectWords(d);
    expect(d.summary).toBe('The server address is not a valid web address.');
    expect(d.advice).toContain('https://');
    expect(d.code).toBe('INVALID_REQUEST');
  });

  it('license manager unreachable', () => {
    const d = describeError(
      new StationRequestError({
        code: 'LICENSE_MANAGER_UNAVAILABLE',
        message: 'License manager: connect ECONNREFUSED 127.0.0.1:3189',
      }),
    );
    expectWords(d);
    expect(d.summary).toBe('The Guardant license manager is not answering.');
  });

  it('the station connection lost', () => {
    const d = describeError(new StationLinkError());
    expectWords(d);
    expect(d.summary).toBe('The connection to the station was lost.');
    expect(d.advice).toContain('reconnects by itself');
  });

  it('a server refusal leads with the server catalogue words, not the number', () => {
    const d = describeError(
      new StationRequestError({
        code: 'SERVER_REJECTED',
        message: 'Wrong login or password (code 10002)',
        apiCode: 10002,
      }),
    );
    expectWords(d);
    expect(d.summary).toBe('The Guardant server refused it: Wrong login or password.');
    expect(d.code).toBe('SERVER_REJECTED 10002');
  });

  it('stored attempt errors (queue, batch results) read as sentences', () => {
    expectWords(describeStoredError('Server unreachable: connect ECONNREFUSED 127.0.0.1:8780'));
    expectWords(describeStoredError('License manager: socket hang up'));
    expect(describeStoredError('Order not found (code 10168)').summary).toBe(
      'The Guardant server refused it: Order not found.',
    );
  });

  it('an item waiting on purpose says why, not that an attempt failed', () => {
    const waiting =
      'Waiting: the license manager is still writing this key; its outcome is taken once it has finished.';
    expect(describeStoredError(waiting).summary).toBe(waiting);
    expect(describeStoredError(waiting).summary).not.toMatch(/failed/);
  });

  it('every station code has words', () => {
    for (const code of [
      'UNKNOWN_CHANNEL',
      'FORBIDDEN',
      'INVALID_REQUEST',
      'SERVER_UNREACHABLE',
      'SERVER_REJECTED',
      'BAD_SERVER_RESPONSE',
      'NOT_CACHED',
      'LICENSE_MANAGER_UNAVAILABLE',
      'NOT_SIMULATED',
      'NOT_FOUND',
      'CONFLICT',
      'INTERNAL',
    ] as const) {
      expectWords(describeError(new StationRequestError({ code, message: `raw ${code} text` })));
    }
  });
});
