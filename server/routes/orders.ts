import type { FastifyInstance } from 'fastify';
import {
  changeOrderBody,
  createOrderBody,
  orderDonglesQuery,
  ordersQuery,
} from '../../shared/guardant/requests';
import type { ServerContext } from '../context';
import { okEnvelope } from '../http/api-error';
import { parseBody, parseId, parseQuery } from '../http/validate';
import { OrdersStore } from '../store/orders-store';
import { orderDetail } from '../store/order-detail';
import { donglesOfOrder } from '../store/dongles-store';

type IdParams = { id: string };

export function registerOrderRoutes(app: FastifyInstance, ctx: ServerContext): void {
  // Read the clock through ctx on every call, so a test or a demo can move it.
  const orders = new OrdersStore(ctx.db, () => ctx.now());

  app.get('/v1.0/orders', async (request) => ({
    orders: orders.list(parseQuery(ordersQuery, request.query)),
  }));

  app.post('/v1.0/orders', async (request) => {
    const row = orders.create(parseBody(createOrderBody, request.body));
    return { order: orders.toWire(row) };
  });

  app.get<{ Params: IdParams }>('/v1.0/orders/:id', async (request) => ({
    order: orderDetail(ctx.db, orders, parseId(request.params.id, 'order id')),
  }));

  // Keybench extension: an order's keys a page at a time (the detail above embeds the first 1000).
  app.get<{ Params: IdParams }>('/v1.0/orders/:id/dongles', async (request) => {
    const id = parseId(request.params.id, 'order id');
    const page = parseQuery(orderDonglesQuery, request.query);
    orders.row(id); // 10021 for an unknown order, not an empty list
    return { dongles: donglesOfOrder(ctx.db, id, page) };
  });

  app.put<{ Params: IdParams }>('/v1.0/orders/:id', async (request) => {
    const id = parseId(request.params.id, 'order id');
    const row = orders.change(id, parseBody(changeOrderBody, request.body));
    return { order: orders.toWire(row) };
  });

  app.delete<{ Params: IdParams }>('/v1.0/orders/:id', async (request) => {
    orders.delete(parseId(request.params.id, 'order id'));
    return okEnvelope;
  });
}
