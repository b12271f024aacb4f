import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStationDatabase } from '../../electron/core/db/open';
import { openTaskCondition, RunStore } from '../../electron/core/runs/run-store';
import { parseDongleId as parseTypedKeyId } from '../../renderer/src/components/format';
import { parseDongleId as parsePathKeyId } from '../../server/http/validate';
import { BOUNDS } from '../../shared/guardant/bounds';
import { DriverType, driverTypeValues, MAX_BATCH_DONGLES, apiErrors } from '../../shared/guardant/codes';
import { parseKeyId } from '../../shared/guardant/numbers';
import { driverTypeBody } from '../../shared/guardant/requests';
import { invokeChannels } from '../../shared/ipc/contract';
import {
  FINAL_TASK_STATES,
  FINAL_WRITE_STAGES,
  isFinalWriteStage,
  writeStageSchema,
} from '../../shared/station/models';

/**
 * Facts stated once in shared/ (issue 11): these check that every reader of a fact reads it the same,
 * so a fact changed in its one place changes everywhere.
 */

const { min: KEY_MIN, max: KEY_MAX } = BOUNDS.keyId;

describe('32-bit key ids', () => {
  const texts = [
    '0',
    '1',
    '2935208162',
    '-1359759134',
    String(KEY_MAX),
    String(KEY_MIN),
    String(KEY_MAX + 1),
    String(KEY_MIN - 1),
    '99999999999',
    '1.5',
    '',
    'abc',
    '0x1',
  ];

  it('reads either form, keeps it unsigned, and stops exactly at the bounds', () => {
    expect(parseKeyId(String(KEY_MAX))).toBe(4_294_967_295);
    expect(parseKeyId(String(KEY_MIN))).toBe(2_147_483_648);
    expect(parseKeyId('-1')).toBe(KEY_MAX);
    expect(parseKeyId('-1359759134')).toBe(2935208162);
    expect(parseKeyId(String(KEY_MAX + 1))).toBeNull();
    expect(parseKeyId(String(KEY_MIN - 1))).toBeNull();
  });

  it.each(texts)('the renderer, the server and the contract agree on %j', (text) => {
    const expected = parseKeyId(text);
    // The renderer's key picker also takes 0x hex; for decimal text it reads as the server does.
    if (!text.startsWith('0x')) expect(parseTypedKeyId(text)).toBe(expected);
    let server: number | null;
    try {
      server = parsePathKeyId(text);
    } catch {
      server = null;
    }
    expect(server).toBe(expected);
    const request = invokeChannels['keys:history'].request.safeParse({ dongleId: Number(text) });
    if (text !== '' && /^-?\d+$/.test(text)) {
      expect(request.success ? request.data.dongleId : null).toBe(expected);
    }
  });

  it('the contract refuses a key id just outside either bound', () => {
    for (const dongleId of [KEY_MAX + 1, KEY_MIN - 1]) {
      const parsed = invokeChannels['keys:orders'].request.safeParse({ dongleId });
      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.message).toBe('must fit in 32 bits');
    }
  });
});

describe('final write stages', () => {
  it('are write stages, and the only ones that end a key', () => {
    expect(FINAL_WRITE_STAGES).toEqual(['done', 'failed', 'unplugged']);
    for (const stage of writeStageSchema.options) {
      expect(isFinalWriteStage(stage), stage).toBe((FINAL_WRITE_STAGES as readonly string[]).includes(stage));
    }
  });
});

describe('driver types', () => {
  it('the server and the contract take exactly the DriverType codes', () => {
    const contract = invokeChannels['keys:setDriverType'].request;
    expect(driverTypeValues).toEqual([DriverType.Guardant, DriverType.WinUsb, DriverType.Hid]);
    for (const driverType of [-1, ...driverTypeValues, 3, 1.5]) {
      const known = (driverTypeValues as number[]).includes(driverType);
      expect(driverTypeBody.safeParse({ driverType }).success, String(driverType)).toBe(known);
      expect(contract.safeParse({ dongleId: 1, driverType }).success, String(driverType)).toBe(known);
    }
    expect(driverTypeBody.safeParse({ driverType: 3 }).error?.issues[0]?.message).toBe(
      'must be 0 (Guardant), 1 (WinUSB) or 2 (HID)',
    );
  });
});

describe('API limits quoted in the error table', () => {
  it('says the batch limit the server enforces', () => {
    expect(apiErrors[10032].description).toBe(
      `Too many hardware keys in one request (at most ${MAX_BATCH_DONGLES})`,
    );
    expect(apiErrors[10012].description).toBe('The request body is larger than 1 MiB');
    expect(apiErrors[10017].description).toBe('A path parameter is too long (at most 200 characters)');
    expect(apiErrors[10041].description).toBe(
      'A software order issues at most 10000 serial numbers (orderQuantity)',
    );
  });
});

describe('final task states in SQL', () => {
  it('the open-task condition is generated from FINAL_TASK_STATES and spelled as its partial index', () => {
    expect(openTaskCondition('state')).toBe(
      `state NOT IN (${FINAL_TASK_STATES.map((state) => `'${state}'`).join(', ')})`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'kb-facts-'));
    const db = openStationDatabase(join(dir, 'station.db'));
    try {
      const index = db
        .prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'run_tasks_open_by_dongle'")
        .get() as { sql: string };
      // The migrations' index (history, not rewritten) and the generated condition must stay the same text…
      expect(index.sql.replace(/\s+/g, ' ')).toContain(openTaskCondition('state'));
      // …or the store's INDEXED BY query has no plan and the store cannot even be built.
      expect(() => new RunStore(db, () => 0)).not.toThrow();
    } finally {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
