import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../context';
import { catalogProducts } from '../store/product-reader';

/**
 * Keybench extension: the reference has no catalog endpoint, yet the station must show product and
 * feature names before any order holds them. Answers every product with its default licences and memory.
 */
export function registerCatalogRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/v1.0/products', async () => ({ products: catalogProducts(ctx.db) }));
}
