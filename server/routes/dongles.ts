import type { FastifyInstance } from 'fastify';
import { dongleOrdersQuery, donglesQuery, driverTypeBody } from '../../shared/guardant/requests';
import type { ServerContext } from '../context';
import { parseBody, parseDongleId, parseQuery } from '../http/validate';
import { dongleToWire } from '../store/rows';
import { DonglesStore } from '../store/dongles-store';
import { OrdersStore } from '../store/orders-store';

type KeyParams = { id: string };

/** The keys the server has met: list, driver setting, and the orders each key is in. */
export function registerDongleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const orders = new OrdersStore(ctx.db, ctx.now);
  const dongles = new DonglesStore(ctx.db, orders, ctx.now);

  app.get('/v1.0/dongles', async (request) => ({
    dongles: dongles.list(parseQuery(donglesQuery, request.query)),
  }));

  app.put<{ Params: KeyParams }>('/v1.0/dongles/:id', async (request) => {
    const id = parseDongleId(request.params.id);
    const { driverType } = parseBody(driverTypeBody, request.body);
    return { dongle: dongleToWire(dongles.setDriverType(id, driverType), true) };
  });

  app.get<{ Params: KeyParams }>('/v1.0/dongles/:id/orders', async (request) => {
    const id = parseDongleId(request.params.id);
    const ids = dongles.orderIdsOfKey(id, parseQuery(dongleOrdersQuery, request.query));
    return { orders: orders.ordersByIds(ids) };
  });
}
