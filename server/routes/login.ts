import type { FastifyInstance } from 'fastify';
import { loginBody } from '../../shared/guardant/requests';
import type { ServerContext } from '../context';
import { parseBody } from '../http/validate';

export function registerLoginRoutes(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/v1.0/login', async (request) => {
    const { login, password } = parseBody(loginBody, request.body);
    return { token: await ctx.auth.login(login, password, request.ip) };
  });
}
