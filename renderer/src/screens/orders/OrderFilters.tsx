import { useEffect, useState } from 'react';
import { orderStatusName } from '../../../../shared/guardant/codes';
import { useUi } from '../../state/ui-store';
import { Field } from '../../components/Field';

const statuses = Object.entries(orderStatusName).map(([value, name]) => ({ value: Number(value), name }));

/** Sort, status filter and search of the orders list; the search waits for a pause in typing. */
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

  return (
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
          placeholder="Order number or customer"
          value={q}
          maxLength={100}
          onChange={(e) => setQ(e.target.value)}
        />
      </Field>
      <Field label="Sort by">
        <select
          value={filters.sortby}
          onChange={(e) => setFilters({ sortby: e.target.value as 'number' | 'submitdate' })}
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
  );
}
