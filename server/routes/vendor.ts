import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { vendorAccount } from '../store/writes-store';

/**
 * Keybench extension: the vendor's writing balance, read-only, on every server (the admin endpoint that
 * sets it exists only on demo and training servers). The station's pre-flight reads it before a run; a
 * server without it answers 10020 and the station says the balance is not reported.
 */
export function registerVendorRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/v1.0/vendor', async () => ({ vendor: { name: ctx.vendorName, ...vendorAccount(ctx.db) } }));
}
