import { afterEach, describe, expect, it } from 'vitest';
import { StationFiles, keyRange } from './outbox-fixture';

/**
 * Up to issue 11 an add-keys item stored its keys' model as `dongleModel` (the wire's name); the station
 * now says `model` everywhere. An item queued by the older station must still be read, and sent, whole.
 */
let files: StationFiles | null = null;
afterEach(() => {
  files?.dispose();
  files = null;
});

/** The identities an add-keys item reads back with, as the worker gets them. */
function storedKeys(itemId: number) {
  const payload = files!.outbox.queued(itemId)?.payload;
  return payload?.kind === 'add-keys' ? payload.keys : payload;
}

describe('add-keys payloads stored by an older station', () => {
  it('reads a stored `dongleModel` as the key model', () => {
    files = new StationFiles();
    const [sign, time] = keyRange(700_000, 2);
    const item = files.outbox.enqueueAddKeys(7, [sign!, time!]);
    const legacy = [
      {
        dongleId: sign!.dongleId,
        dongleModel: 2,
        publicCode: sign!.publicCode,
        typeFlags: 0,
        netResource: 0,
      },
      {
        dongleId: time!.dongleId,
        dongleModel: 3,
        publicCode: time!.publicCode,
        typeFlags: 0,
        netResource: 2,
      },
    ];
    files.db
      .prepare('UPDATE outbox SET payload = ? WHERE id = ?')
      .run(JSON.stringify({ keys: legacy }), item.id);
    files.reopen();

    expect(storedKeys(item.id)).toEqual([
      { dongleId: sign!.dongleId, model: 2, publicCode: sign!.publicCode, typeFlags: 0, netResource: 0 },
      { dongleId: time!.dongleId, model: 3, publicCode: time!.publicCode, typeFlags: 0, netResource: 2 },
    ]);
  });

  it('stores new items in the station words and reads them back unchanged', () => {
    files = new StationFiles();
    const keys = keyRange(710_000, 2, { model: 5, netResource: 4 });
    const item = files.outbox.enqueueAddKeys(7, keys);
    const stored = files.db.prepare('SELECT payload FROM outbox WHERE id = ?').get(item.id) as {
      payload: string;
    };
    expect(JSON.parse(stored.payload).keys[0]).not.toHaveProperty('dongleModel');
    files.reopen();
    expect(storedKeys(item.id)).toEqual(keys);
  });
});
