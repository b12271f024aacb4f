import { describe, expect, it } from 'vitest';
import { GuardantApiError, ServerUnreachableError } from '../../electron/core/api/errors';
import { LicenseManagerError } from '../../electron/core/license-manager/license-manager-error';
import { refusalOf, writeThroughManager } from '../../electron/core/license-manager/write-through';
import { ActionResult } from '../../shared/guardant/codes';

describe('a failed license-manager write, as the outbox takes it', () => {
  it('is worth another try when nothing was written (the manager or its server unreachable)', () => {
    for (const error of [
      new LicenseManagerError('UNREACHABLE', 'connect ECONNREFUSED'),
      new LicenseManagerError('REFUSED', 'server away', { httpStatus: 503, lmCode: 'SERVER_UNREACHABLE' }),
    ]) {
      expect(() => refusalOf(error)).toThrow(ServerUnreachableError);
      expect(() => refusalOf(error)).toThrow(error.message);
    }
  });

  it('is a decision carrying the code, status and words when the server refused through the manager', () => {
    const refused = new LicenseManagerError('REFUSED', 'Order is full', {
      httpStatus: 422,
      lmCode: 'SERVER_REJECTED',
      apiCode: 10168,
    });
    expect(refusalOf(refused)).toEqual({ apiCode: 10168, httpStatus: 422, message: 'Order is full' });
    // A refusal relayed without a status is a conflict, as the manager answers refusals.
    const bare = new LicenseManagerError('REFUSED', 'No', { lmCode: 'SERVER_REJECTED', apiCode: 10030 });
    expect(refusalOf(bare)).toEqual({ apiCode: 10030, httpStatus: 409, message: 'No' });
  });

  it('is thrown again as it was when it is anything else', () => {
    const bad = new LicenseManagerError('BAD_RESPONSE', 'not JSON');
    expect(() => refusalOf(bad)).toThrow(bad);
    const other = new TypeError('boom');
    expect(() => refusalOf(other)).toThrow(other);
  });
});

describe('writeThroughManager', () => {
  const manager = (fail?: Error) => ({
    writeLicense: async () => {
      if (fail) throw fail;
      return { actionResult: ActionResult.Success } as never;
    },
  });

  it('answers the manager’s own "not found" for a key the bench does not list, without asking it', async () => {
    const write = writeThroughManager({ licenseManager: manager(new Error('asked')), present: () => false });
    await expect(write(1, 2, 'k')).resolves.toEqual({ actionResult: ActionResult.DongleNotFound });
  });

  it('passes the manager’s action result through', async () => {
    const write = writeThroughManager({ licenseManager: manager(), present: () => true });
    await expect(write(1, 2, 'k')).resolves.toEqual({ actionResult: ActionResult.Success });
  });

  it('gives the worker a refusal as the server’s decision, in the words the outbox keeps', async () => {
    const refused = new LicenseManagerError('REFUSED', 'Order is full', { apiCode: 10168, httpStatus: 409 });
    const write = writeThroughManager({ licenseManager: manager(refused), present: () => true });
    const error = await write(1, 2, 'k').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GuardantApiError);
    expect(error).toMatchObject({ apiCode: 10168, httpStatus: 409, message: 'Order is full (code 10168)' });
  });
});
