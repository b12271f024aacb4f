import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isFinalWriteStage, type WriteProgress } from '../../shared/station/models';
import { DEMO_ORDER_NUMBERS } from '../../server/seed/demo';
import { startHostUnderAttack, type HostUnderAttack } from './web-host-fixture';

let host: HostUnderAttack;

beforeAll(async () => {
  // KEYBENCH_FAULT_INJECTION lets a client make the host fail on purpose ({type:"fault"} messages).
  host = await startHostUnderAttack(['--keys', '4'], { KEYBENCH_FAULT_INJECTION: '1' });
});
afterAll(async () => {
  await host?.stop();
});

/** Fails at once, with the host's log, if the host exits while `work` runs. */
function unlessCrashed<T>(work: Promise<T>): Promise<T> {
  return Promise.race([work, host.exited.then((why) => Promise.reject(new Error(why)))]);
}

/** A raw client of the wire protocol, to send what the renderer's API cannot. */
async function wireClient() {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ipc?token=${host.token}`, {
    headers: { origin: host.origin },
  });
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  /** Sends one message; resolves with the answer carrying its id. */
  const ask = (message: Record<string, unknown> & { id: number }) =>
    new Promise<any>((resolve) => {
      const onMessage = (data: WebSocket.RawData) => {
        const answer = JSON.parse(String(data));
        if (answer.type !== 'result' || answer.id !== message.id) return;
        ws.off('message', onMessage);
        resolve(answer.result);
      };
      ws.on('message', onMessage);
      ws.send(JSON.stringify(message));
    });
  return { ws, ask, closed };
}

/** A log line (pino JSON: the error comes before the message) that holds every one of `parts`. */
const logLine = (...parts: string[]) => new RegExp(`^${parts.map((p) => `(?=.*${p})`).join('')}.*$`, 'm');

const stationInfo = { type: 'invoke', channel: 'station:info', request: {} };

describe('a fault in one connection or handler', () => {
  it('a dispatch that throws is answered with an internal error; that connection keeps working', async () => {
    const client = await wireClient();
    const answer = await unlessCrashed(client.ask({ type: 'fault', id: 1, fault: 'dispatch-throws' }));
    expect(answer).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(answer.error.message).not.toMatch(/injected/); // details go to the log, not to the page
    await host.waitForOutput(
      logLine('unexpected error answering a request', 'injected fault: dispatch-throws'),
    );
    expect(await unlessCrashed(client.ask({ ...stationInfo, id: 2 }))).toMatchObject({ ok: true });
    client.ws.close();
  });

  for (const fault of ['message-handler-throws', 'connection-error'] as const) {
    it(`${fault}: is logged and ends that connection with 1011, the host keeps serving`, async () => {
      const client = await wireClient();
      client.ws.send(JSON.stringify({ type: 'fault', id: 1, fault }));
      expect(await unlessCrashed(client.closed)).toBe(1011);
      await host.waitForOutput(logLine('connection', `injected fault: ${fault}`));
      expect(await unlessCrashed(host.api.invoke('station:info', {}))).toMatchObject({ benchReady: true });
    });
  }

  for (const fault of ['uncaught-exception', 'unhandled-rejection'] as const) {
    it(`${fault}: the process net logs it and the host keeps serving`, async () => {
      const client = await wireClient();
      expect(await unlessCrashed(client.ask({ type: 'fault', id: 1, fault }))).toEqual({
        ok: true,
        value: fault,
      });
      await unlessCrashed(host.waitForOutput(logLine('no handler caught', `injected fault: ${fault}`)));
      expect(await unlessCrashed(client.ask({ ...stationInfo, id: 2 }))).toMatchObject({ ok: true });
      client.ws.close();
    });
  }

  it('after all of them, the bench and the outbox still work: a key is plugged and written', async () => {
    const plugged = await unlessCrashed(host.api.invoke('bench:simulate', { action: 'plug', count: 1 }));
    const key = plugged.at(-1)!;
    const page = await host.api.invoke('orders:list', {
      q: String(DEMO_ORDER_NUMBERS.perpetual20),
      limit: 10,
    });
    const order = page.orders.find((o) => o.number === DEMO_ORDER_NUMBERS.perpetual20)!;
    const finished = new Promise<WriteProgress>((resolve) =>
      host.api.on('write:progress', (p) => {
        if (p.dongleId === key.dongleId && isFinalWriteStage(p.stage)) resolve(p);
      }),
    );
    await host.api.invoke('licenses:write', { orderId: order._id, dongleIds: [key.dongleId] });
    expect(await unlessCrashed(finished)).toMatchObject({ stage: 'done' });
    expect(await host.api.invoke('outbox:list', {})).toMatchObject({ pending: 0, inFlight: 0 });
  });
});
