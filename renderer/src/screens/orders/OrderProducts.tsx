import type { DefaultLicense, License, Product } from '../../../../shared/guardant/responses';
import { formatUnixDate } from '../../components/format';
import { hexOf, memoryBytes, textOf } from '../../components/memory-bytes';

/** Licence terms in words: the rent period or days when the licence is time-limited. */
export function licenceTerms(license: License | DefaultLicense): string {
  const parts = [`model ${license.licensingmodel}`];
  if (license.rentbegindate || license.rentenddate) {
    parts.push(`rent ${formatUnixDate(license.rentbegindate)} – ${formatUnixDate(license.rentenddate)}`);
  }
  if (license.rentdayscount) parts.push(`rent ${license.rentdayscount} days`);
  if (license.runcounter) parts.push(`${license.runcounter} runs`);
  if (parts.length === 1) parts.push('no time limit');
  return parts.join(' · ');
}

/** A memory value as hex (to check against the key's dump) and as text; the wire's base64 means nothing to an operator. */
function MemoryData({ data }: { data: string }) {
  if (!data) return <>—</>;
  const bytes = memoryBytes(data);
  if (!bytes)
    return <span className="result-failed">not readable (the server sent data that is not base64)</span>;
  return (
    <span className="memory-data">
      <span>
        <span className="muted">hex </span>
        <span className="mono">{hexOf(bytes)}</span>
      </span>{' '}
      <span>
        <span className="muted">text </span>
        <span className="mono">{textOf(bytes)}</span>
      </span>
    </span>
  );
}

function ProductFeatures({ product }: { product: Product }) {
  const features = product.featuresWithLicenses ?? [];
  if (!features.length) return <p className="muted">No features.</p>;
  return (
    <table className="data-table compact" aria-label={`Features of ${product.name}`}>
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Feature</th>
          <th scope="col">In licence</th>
          <th scope="col">Terms</th>
          <th scope="col">Network licences</th>
        </tr>
      </thead>
      <tbody>
        {features.map((feature) => {
          const license = feature.license ?? feature.defaultLicense;
          const excluded = feature.license?.isExcluded === 1;
          return (
            <tr key={feature._id} className={excluded ? 'row-muted' : undefined}>
              <td className="mono">{feature.featurenumber}</td>
              <td>{feature.name}</td>
              <td className="nowrap">{excluded ? '✕ Excluded' : '✓ Included'}</td>
              <td>{licenceTerms(license)}</td>
              <td className="mono">
                {license.netlicensescount || '—'}
                {license.isremote && ' (remote)'}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function ProductMemory({ product }: { product: Product }) {
  const items = product.memoryitems ?? [];
  return (
    <>
      {items.map((item) => (
        <table
          key={item._id}
          className="data-table compact"
          aria-label={`Memory ${item.name} of ${product.name}`}
        >
          <caption>Memory: {item.name}</caption>
          <thead>
            <tr>
              <th scope="col">Param</th>
              <th scope="col">Offset</th>
              <th scope="col">Size</th>
              <th scope="col">Data</th>
              <th scope="col">Editable</th>
            </tr>
          </thead>
          <tbody>
            {item.params.map((param) => (
              <tr key={param._id}>
                <td>{param.name}</td>
                <td className="mono">{param.offset}</td>
                <td className="mono">{param.size}</td>
                <td className="wrap">
                  <MemoryData data={param.data} />
                </td>
                <td>{param.editallowed ? 'yes' : 'no'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
    </>
  );
}

/** Every product in the order with its features, licence terms and memory. */
export function OrderProducts({ products }: { products: Product[] }) {
  if (!products.length) return <p className="muted">The order holds no products.</p>;
  return (
    <>
      {products.map((product) => (
        <section key={product._id} className="product" aria-label={`Product ${product.name}`}>
          <h4>
            {product.name} <span className="muted mono">product {product.productnumber}</span>
          </h4>
          <ProductFeatures product={product} />
          <ProductMemory product={product} />
        </section>
      ))}
    </>
  );
}
