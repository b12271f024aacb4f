import type { FastifyInstance } from 'fastify';
import { injectFaultBody, vendorAccountBody } from '../../shared/guardant/requests';
import type { ServerContext } from '../context';
import { okEnvelope } from '../http/api-error';
import { parseBody } from '../http/validate';
import { setVendorAccount } from '../store/catalog-writer';
import { injectFailure, vendorAccount } from '../store/writes-store';

/**
 * Keybench extension for demo and training servers: scripted write faults and the vendor's balance.
 * A production server never registers these, so they answer 10020 like any unknown route.
 */
export function registerAdminRoutes(app: FastifyInstance, ctx: ServerContext): void {
  if (!ctx.adminEnabled) return;

  app.post('/v1.0/admin/faults', async (request) => {
    const { dongleId, actionResult, count } = parseBody(injectFaultBody, request.body);
    injectFailure(ctx.db, dongleId, actionResult, count);
    return okEnvelope;
  });

  app.get('/v1.0/admin/vendor', async () => ({ vendor: vendorAccount(ctx.db) }));

  app.put('/v1.0/admin/vendor', async (request) => {
    setVendorAccount(ctx.db, parseBody(vendorAccountBody, request.body));
    return { vendor: vendorAccount(ctx.db) };
  });
}
