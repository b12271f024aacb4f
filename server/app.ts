import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import pino from 'pino';
import secureJson from 'secure-json-parse';
import { ApiErrorCode } from '../shared/guardant/codes';
import { ApiError } from './http/api-error';
import type { ServerContext } from './context';
import { registerLoginRoutes } from './routes/login';
import { registerOrderRoutes } from './routes/orders';
import { registerOrderProductRoutes } from './routes/order-products';
import { registerCatalogRoutes } from './routes/catalog';
import { registerSearchRoutes } from './routes/search';
import { registerDongleRoutes } from './routes/dongles';
import { registerOrderDongleRoutes } from './routes/order-dongles';
import { registerHistoryRoutes } from './routes/history';
import { registerLicenseWriteRoutes } from './routes/license-writes';
import { registerAdminRoutes } from './routes/admin';

export const BODY_LIMIT = 1024 * 1024;

export interface AppOptions {
  logger: FastifyBaseLogger | false;
}

/** Content-parser failures arrive as Fastify errors; map them onto the API's own codes. */
function fromFastifyError(error: FastifyError): ApiError {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(ApiErrorCode.BodyTooLarge);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(ApiErrorCode.InvalidField, 'send the body as Content-Type: application/json');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ApiError(ApiErrorCode.MalformedJson, 'the body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(ApiErrorCode.InvalidField, 'the Content-Length header does not match the body');
  }
  return new ApiError(ApiErrorCode.Internal);
}

export function buildApp(ctx: ServerContext, options: AppOptions): FastifyInstance {
  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    // One line per request is written in onResponse below; Fastify's own pair of lines is noise.
    logController: new LogController({ disableRequestLogging: true }),
    loggerInstance: options.logger || pino({ enabled: false }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  });

  // Our own JSON parser, so a poisoned key and a syntax error each get their own code and reason.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    // An empty body with a JSON content type (common from hand-made clients on body-less POSTs) is no body.
    if ((body as string).trim() === '') return done(null, undefined);
    try {
      done(
        null,
        secureJson.parse(body as string, undefined, { protoAction: 'error', constructorAction: 'error' }),
      );
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      done(
        /prototype/i.test(message)
          ? new ApiError(
              ApiErrorCode.InvalidField,
              'forbidden property name (__proto__ or constructor) in the body',
            )
          : new ApiError(ApiErrorCode.MalformedJson, message),
        undefined,
      );
    }
  });

  // Decided on the route the router matched, never on the raw URL: '/v1%2E0/orders' and an absolute-form
  // target reach the same handlers as '/v1.0/orders' and must meet the same check.
  app.addHook('onRequest', async (request) => {
    if (!request.raw.url?.startsWith('/')) {
      throw new ApiError(ApiErrorCode.InvalidField, 'the request target must be a path');
    }
    const route = request.routeOptions.url;
    if (route === undefined) return; // no such endpoint: the 404 envelope says so, and nothing more
    if (request.method === 'POST' && route === '/v1.0/login') return;
    ctx.auth.check(request.headers.authorization);
  });

  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      `${request.method} ${request.url.split('?')[0]} ${reply.statusCode} ${reply.elapsedTime.toFixed(1)}ms`,
    );
  });

  app.setErrorHandler((error: FastifyError | ApiError, request, reply) => {
    const apiError = error instanceof ApiError ? error : fromFastifyError(error);
    if (apiError.code === ApiErrorCode.Internal) request.log.error({ err: error }, 'unhandled error');
    return reply.status(apiError.httpStatus).send(apiError.toEnvelope());
  });

  app.setNotFoundHandler((request, reply) => {
    const error = new ApiError(ApiErrorCode.RouteNotFound, `${request.method} ${request.url.split('?')[0]}`);
    return reply.status(error.httpStatus).send(error.toEnvelope());
  });

  registerLoginRoutes(app, ctx);
  registerOrderRoutes(app, ctx);
  registerOrderProductRoutes(app, ctx);
  registerCatalogRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerDongleRoutes(app, ctx);
  registerOrderDongleRoutes(app, ctx);
  registerHistoryRoutes(app, ctx);
  registerLicenseWriteRoutes(app, ctx);
  registerAdminRoutes(app, ctx);
  return app;
}
