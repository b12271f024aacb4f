import type { FastifyInstance } from 'fastify';
import { writeLicenseBody, writesByKeyQuery } from '../../shared/guardant/requests';
import type { ServerContext } from '../context';
import { parseBody, parseDongleId, parseId, parseQuery } from '../http/validate';
import { OrdersStore } from '../store/orders-store';
import { WritesStore } from '../store/writes-store';

/**
 * Keybench extension: the license manager reports each write attempt here. A recorded attempt is 200
 * whatever its outcome; the outcome is `actionresult`, as getlastburninfo would tell it.
 */
export function registerLicenseWriteRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const writes = new WritesStore(ctx.db, new OrdersStore(ctx.db, ctx.now), ctx.now);

  app.post<{ Params: { id: string; did: string } }>(
    '/v1.0/orders/:id/dongles/:did/write',
    async (request) => {
      const orderId = parseId(request.params.id, 'order id');
      const dongleId = parseDongleId(request.params.did);
      // An empty POST means "the key reported success".
      const { dongleResult, idempotencyKey } = parseBody(writeLicenseBody, request.body ?? {});
      return { write: writes.write(orderId, dongleId, dongleResult, idempotencyKey ?? null) };
    },
  );

  // What became of a write whose answer was lost: the attempts recorded with its idempotency key.
  app.get('/v1.0/writes', async (request) => ({
    writes: writes.writesWithKey(parseQuery(writesByKeyQuery, request.query).idempotencyKey),
  }));
}
