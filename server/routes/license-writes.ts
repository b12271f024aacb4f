import type { FastifyInstance } from 'fastify';
import { writeLicenseBody } from '../../shared/guardant/requests';
import type { ServerContext } from '../context';
import { parseBody, parseDongleId, parseId } from '../http/validate';
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
      const { dongleResult } = parseBody(writeLicenseBody, request.body ?? {});
      return { write: writes.write(orderId, dongleId, dongleResult) };
    },
  );
}
