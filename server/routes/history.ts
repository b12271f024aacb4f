import type { FastifyInstance } from 'fastify';
import { historyQuery } from '../../shared/guardant/requests';
import type { ServerContext } from '../context';
import { parseDongleId, parseId, parseQuery } from '../http/validate';
import { OrdersStore } from '../store/orders-store';
import { WritesStore } from '../store/writes-store';

/** Reading the write ledger: a key's last write in an order, and a key's whole history. */
export function registerHistoryRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const writes = new WritesStore(ctx.db, new OrdersStore(ctx.db, ctx.now), ctx.now);

  app.get<{ Params: { orderid: string; dongleid: string } }>(
    '/v1.0/orders/:orderid/dongles/:dongleid/getlastburninfo',
    async (request) => ({
      lastburninfo: writes.lastBurn(
        parseId(request.params.orderid, 'order id'),
        parseDongleId(request.params.dongleid),
      ),
    }),
  );

  app.get<{ Params: { id: string } }>('/v1.0/getdonglehistory/:id', async (request) => ({
    history: writes.history(parseDongleId(request.params.id), parseQuery(historyQuery, request.query)),
  }));
}
