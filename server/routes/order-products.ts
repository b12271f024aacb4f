import type { FastifyInstance } from 'fastify';
import { licenseTermsBody, paramDataBody } from '../../shared/guardant/requests';
import type { ServerContext } from '../context';
import { okEnvelope } from '../http/api-error';
import { decodeBase64Data } from '../http/base64';
import { parseBody, parseId } from '../http/validate';
import { OrderContentsStore } from '../store/order-contents-store';

type ProductParams = { id: string; pid: string };
type FeatureParams = ProductParams & { fid: string };
type MemoryParams = ProductParams & { mid: string; paramid: string };

const PRODUCT = '/v1.0/orders/:id/products/:pid';
/**
 * The reference writes the feature paths as ".../features{fid}" for add and remove and as
 * ".../features/{fid}" for change; every feature route answers on both spellings.
 */
const FEATURE_PATHS = [`${PRODUCT}/features/:fid`, `${PRODUCT}/features:fid`];

const ids = (p: ProductParams) => [parseId(p.id, 'order id'), parseId(p.pid, 'product id')] as const;

/** Products, features and memory inside an order. */
export function registerOrderProductRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const store = new OrderContentsStore(ctx.db);

  app.post<{ Params: ProductParams }>(PRODUCT, async (request) => ({
    features: store.addProduct(...ids(request.params)),
  }));

  app.delete<{ Params: ProductParams }>(PRODUCT, async (request) => {
    store.removeProduct(...ids(request.params));
    return okEnvelope;
  });

  app.get<{ Params: ProductParams }>(`${PRODUCT}/features`, async (request) => ({
    features: store.features(...ids(request.params)),
  }));

  for (const path of FEATURE_PATHS) {
    const fid = (p: FeatureParams) => parseId(p.fid, 'feature id');

    app.post<{ Params: FeatureParams }>(path, async (request) => ({
      license: store.includeFeature(...ids(request.params), fid(request.params)),
    }));

    app.delete<{ Params: FeatureParams }>(path, async (request) => {
      store.excludeFeature(...ids(request.params), fid(request.params));
      return okEnvelope;
    });

    app.put<{ Params: FeatureParams }>(path, async (request) => {
      const body = parseBody(licenseTermsBody, request.body);
      return { license: store.changeLicense(...ids(request.params), fid(request.params), body) };
    });
  }

  app.put<{ Params: MemoryParams }>(`${PRODUCT}/memoryitems/:mid/params/:paramid`, async (request) => {
    const data = decodeBase64Data(parseBody(paramDataBody, request.body).data);
    const { mid, paramid } = request.params;
    return {
      param: store.changeParam(
        ...ids(request.params),
        parseId(mid, 'memory item id'),
        parseId(paramid, 'param id'),
        data,
      ),
    };
  });
}
