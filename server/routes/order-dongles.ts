import type { FastifyInstance } from 'fastify';
import { ApiErrorCode, MAX_BATCH_DONGLES } from '../../shared/guardant/codes';
import { dongleIdentityBody, multipleDonglesBody } from '../../shared/guardant/requests';
import type { ServerContext } from '../context';
import { ApiError, okEnvelope } from '../http/api-error';
import { parseBody, parseDongleId, parseId } from '../http/validate';
import { DonglesStore } from '../store/dongles-store';
import { OrdersStore } from '../store/orders-store';

type OrderParams = { id: string };

/** Putting keys into hardware Sale orders, one or a batch at a time, and taking them out. */
export function registerOrderDongleRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const dongles = new DonglesStore(ctx.db, new OrdersStore(ctx.db, ctx.now), ctx.now);

  app.post<{ Params: OrderParams }>('/v1.0/orders/:id/dongles', async (request) => {
    const orderId = parseId(request.params.id, 'order id');
    return { dongle: dongles.add(orderId, parseBody(dongleIdentityBody, request.body)) };
  });

  app.post<{ Params: OrderParams }>('/v1.0/orders/:id/multipledongles', async (request) => {
    const orderId = parseId(request.params.id, 'order id');
    // Counted before the items are validated, so an oversize batch is told so and not which item is bad.
    const list = (request.body as { dongles?: unknown } | null)?.dongles;
    if (Array.isArray(list) && list.length > MAX_BATCH_DONGLES) {
      throw new ApiError(ApiErrorCode.BatchTooLarge, `${list.length} keys`);
    }
    const body = parseBody(multipleDonglesBody, request.body);
    return { dongles: dongles.addMany(orderId, body.dongles) };
  });

  app.delete<{ Params: OrderParams & { did: string } }>('/v1.0/orders/:id/dongles/:did', async (request) => {
    dongles.remove(parseId(request.params.id, 'order id'), parseDongleId(request.params.did));
    return okEnvelope;
  });

  app.post<{ Params: OrderParams }>('/v1.0/canadddongle/orders/:id', async (request) => {
    const orderId = parseId(request.params.id, 'order id');
    dongles.canAdd(orderId, parseBody(dongleIdentityBody, request.body));
    return okEnvelope;
  });
}
