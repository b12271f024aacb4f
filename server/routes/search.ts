import type { FastifyInstance } from 'fastify';
import { searchLicenseBody } from '../../shared/guardant/requests';
import type { ServerContext } from '../context';
import { parseBody } from '../http/validate';
import { searchLicenses } from '../store/license-search';

export function registerSearchRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/v1.0/search/license', async (request) =>
    searchLicenses(ctx.db, parseBody(searchLicenseBody, request.body)),
  );
}
