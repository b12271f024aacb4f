import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
  type FastifyReply,
} from 'fastify';
import pino from 'pino';
import secureJson from 'secure-json-parse';
import { ApiErrorCode, MAX_BODY_BYTES, MAX_PATH_PARAM_LENGTH } from '../shared/guardant/codes';
import { ApiError } from './http/api-error';
import {
  DEFAULT_LIMITS,
  makeClientErrorHandler,
  timeoutCheckInterval,
  type ServerLimits,
} from './http/limits';
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
import { registerVendorRoutes } from './routes/vendor';

export interface AppOptions {
  logger: FastifyBaseLogger | false;
  limits?: Partial<ServerLimits>;
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
    case 'FST_ERR_BAD_URL':
      return new ApiError(ApiErrorCode.MalformedRequest, 'the path is not valid percent-encoding');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new ApiError(ApiErrorCode.PathParamTooLong);
  }
  // Any other refusal of the request by the framework is the client's fault, and says so in the envelope.
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError(ApiErrorCode.MalformedRequest, error.message);
  }
  return new ApiError(ApiErrorCode.Internal);
}

export function buildApp(ctx: ServerContext, options: AppOptions): FastifyInstance {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  limits.headersTimeoutMs = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs); // Node insists
  const logger = options.logger || pino({ enabled: false });
  const app = Fastify({
    bodyLimit: MAX_BODY_BYTES,
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      connectionsCheckingInterval: timeoutCheckInterval(limits),
    },
    // Parse errors and timeouts Node meets before a request exists: answered in the API's envelope.
    clientErrorHandler: makeClientErrorHandler(logger),
    // A bad %-encoding or an over-long path parameter: the error handler below, like any other error.
    frameworkErrors: (error, _request, reply) => {
      const apiError = fromFastifyError(error);
      // The generic reply type cannot know this handler answers every route's error envelope.
      (reply as FastifyReply).status(apiError.httpStatus).send(apiError.toEnvelope());
    },
    // Fastify's own 503 body while closing is not the envelope; onRequest below answers instead.
    return503OnClosing: false,
    // One line per request is written in onResponse below; Fastify's own pair of lines is noise.
    logController: new LogController({ disableRequestLogging: true }),
    loggerInstance: logger,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAM_LENGTH },
  });

  app.server.maxConnections = limits.maxConnections;
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
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
  app.addHook('onRequest', async (request, reply) => {
    if (closing) {
      reply.header('connection', 'close');
      throw new ApiError(ApiErrorCode.Unavailable, 'the server is shutting down');
    }
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
    if (apiError.retryAfterSeconds !== undefined)
      reply.header('retry-after', String(apiError.retryAfterSeconds));
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
  registerVendorRoutes(app, ctx);
  return app;
}
