import { useEffect, useState } from 'react';
import { orderStatusName } from '../../../../shared/guardant/codes';
import { MAX_ORDER_SEARCH_LENGTH } from '../../../../shared/guardant/order-search';
import type { OrderSort } from '../../../../shared/guardant/requests';
import { ALL_ORDERS, useUi, WORKABLE_ORDERS, type OrderKindFilter } from '../../state/ui-store';
import { Field } from '../../components/Field';

const statuses = Object.entries(orderStatusName).map(([value, name]) => ({ value: Number(value), name }));

const sameStatuses = (a: number[], b: number[]) => a.length === b.length && a.every((s, i) => s === b[i]);

/**
 * Sort, status and licence-kind filters and search of the orders list; the search waits for a pause in
 * typing. The list opens on what a bench can work on, and says so, with one click to every order.
 */
export function OrderFilters() {
  const filters = useUi((s) => s.orderFilters);
  const setFilters = useUi((s) => s.setOrderFilters);
  const [q, setQ] = useState(filters.q);

  useEffect(() => {
    if (q === filters.q) return;
    const timer = setTimeout(() => setFilters({ q }), 300);
    return () => clearTimeout(timer);
  }, [q, filters.q, setFilters]);

  const toggleStatus = (status: number, on: boolean) =>
    setFilters({
      status: on ? [...filters.status, status].sort() : filters.status.filter((s) => s !== status),
    });

  const workable =
    filters.kind === WORKABLE_ORDERS.kind && sameStatuses(filters.status, WORKABLE_ORDERS.status);
  const all = filters.kind === ALL_ORDERS.kind && filters.status.length === 0;

  return (
    <>
      <p className="orders-scope" role="status">
        {workable
          ? 'Showing Submitted hardware orders: the ones keys can be added to and written for.'
          : all
            ? 'Showing every order, of any status and licence kind.'
            : 'Showing the orders the filters below pick.'}{' '}
        {!workable && (
          <button type="button" onClick={() => setFilters(WORKABLE_ORDERS)}>
            Show only orders I can work on
          </button>
        )}
        {!all && (
          <button type="button" onClick={() => setFilters(ALL_ORDERS)}>
            Show all orders
          </button>
        )}
      </p>
      <form
        className="filters"
        aria-label="Order filters"
        onSubmit={(e) => {
          e.preventDefault();
          setFilters({ q });
        }}
      >
        <Field label="Search orders" grow>
          <input
            type="search"
            placeholder="#33, a company or a contact's name"
            value={q}
            maxLength={MAX_ORDER_SEARCH_LENGTH}
            onChange={(e) => setQ(e.target.value)}
          />
        </Field>
        <Field label="Sort by">
          <select
            value={filters.sortby}
            onChange={(e) => setFilters({ sortby: e.target.value as OrderSort })}
          >
            <option value="number">Number</option>
            <option value="submitdate">Submit date</option>
          </select>
        </Field>
        <Field label="Direction">
          <select
            value={filters.direction}
            onChange={(e) => setFilters({ direction: e.target.value as 'asc' | 'desc' })}
          >
            <option value="asc">Ascending</option>
            <option value="desc">Descending</option>
          </select>
        </Field>
        <Field label="Licence kind">
          <select
            value={filters.kind}
            onChange={(e) => setFilters({ kind: e.target.value as OrderKindFilter })}
          >
            <option value="hardware">Hardware</option>
            <option value="software">Software</option>
            <option value="any">Any</option>
          </select>
        </Field>
        <fieldset className="checks">
          <legend>Status</legend>
          {statuses.map(({ value, name }) => (
            <label key={value} className="check">
              <input
                type="checkbox"
                checked={filters.status.includes(value)}
                onChange={(e) => toggleStatus(value, e.target.checked)}
              />
              {name}
            </label>
          ))}
        </fieldset>
      </form>
    </>
  );
}
