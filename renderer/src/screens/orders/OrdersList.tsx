import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState, type KeyboardEvent } from 'react';
import type { Order } from '../../../../shared/guardant/responses';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatUnixDate } from '../../components/format';
import { StaleBadge } from '../../components/StaleBadge';
import type { OrdersQuery } from '../../station/query-keys';
import { customerName, licenceKindName, orderTypeName, statusName } from '../../components/order-text';
import { useOrdersPages } from './use-orders-pages';

const ROW_HEIGHT = 36;
const optionId = (index: number) => `orders-option-${index}`;

interface Props {
  query: OrdersQuery;
  selectedOrderId: number | null;
  onOpen(order: Order): void;
}

/**
 * The orders as a virtualised listbox: only the rows on screen exist, and only their pages are
 * fetched, so 100,000 orders scroll as smoothly as 100. Arrow keys, Page Up/Down, Home and End move;
 * Enter or Space opens the order.
 */
export function OrdersList({ query, selectedOrderId, onOpen }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [range, setRange] = useState({ from: 0, to: 30 });
  const orders = useOrdersPages(query, range.from, range.to);

  const virtualizer = useVirtualizer({
    count: orders.count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 15,
    onChange: (instance) => {
      const items = instance.getVirtualItems();
      const from = items[0]?.index ?? 0;
      const to = items[items.length - 1]?.index ?? 0;
      setRange((prev) => (prev.from === from && prev.to === to ? prev : { from, to }));
    },
  });

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(orders.count - 1, index));
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const pageRows = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1,
    );
    const moves: Record<string, () => void> = {
      ArrowDown: () => moveTo(active + 1),
      ArrowUp: () => moveTo(active - 1),
      PageDown: () => moveTo(active + pageRows),
      PageUp: () => moveTo(active - pageRows),
      Home: () => moveTo(0),
      End: () => moveTo(orders.count - 1),
      Enter: () => {
        const order = orders.orderAt(active);
        if (order) onOpen(order);
      },
    };
    moves[' '] = moves.Enter!;
    const move = moves[event.key];
    if (!move) return;
    event.preventDefault();
    move();
  };

  const activeInView = orders.count > 0 && orders.orderAt(active) !== undefined;

  return (
    <div className="orders-list">
      <div className="orders-list-status">
        <span role="status" className="muted">
          {orders.count === 0 && !orders.loading
            ? 'No orders match.'
            : orders.complete
              ? `${orders.count.toLocaleString()} ${orders.count === 1 ? 'order' : 'orders'}`
              : `${orders.count.toLocaleString()}+ orders`}
          {orders.loading && ' · loading…'}
        </span>
        <StaleBadge view={orders.shownPage.data} />
      </div>
      {orders.shownPage.data?.searchedLocally && (
        <p className="notice" role="note">
          The server cannot search or filter by licence kind: these are the orders this station has listed
          before that match. Show all orders and scroll through them once to search every order.
        </p>
      )}
      {orders.failed && (
        <ErrorNotice
          title="Could not load the orders"
          error={orders.failed.error}
          onRetry={() => void orders.failed?.refetch()}
        />
      )}
      <div className="orders-list-head" aria-hidden="true">
        <span>Number</span>
        <span>Customer</span>
        <span>Status</span>
        <span>Licence · type</span>
        <span>Keys</span>
        <span>Submitted</span>
      </div>
      <div
        ref={scrollRef}
        className="orders-scroll"
        role="listbox"
        aria-label="Orders"
        tabIndex={0}
        aria-activedescendant={activeInView ? optionId(active) : undefined}
        onKeyDown={onKeyDown}
      >
        <div className="orders-canvas" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((row) => {
            const order = orders.orderAt(row.index);
            const style = { height: row.size, transform: `translateY(${row.start}px)` };
            if (!order) {
              return (
                <div key={row.key} className="order-row order-row-loading" style={style} aria-hidden="true">
                  Loading…
                </div>
              );
            }
            const selected = order._id === selectedOrderId;
            return (
              <div
                key={row.key}
                id={optionId(row.index)}
                role="option"
                aria-selected={selected}
                aria-posinset={row.index + 1}
                aria-setsize={orders.complete ? orders.count : -1}
                className={`order-row${selected ? ' row-selected' : ''}${row.index === active ? ' row-active' : ''}`}
                style={style}
                onClick={() => {
                  setActive(row.index);
                  onOpen(order);
                }}
              >
                {/* Named by a sentence of its own rather than aria-label, which would have to repeat the
                    row's visible text word for word (WCAG 2.5.3, label in name); the cells are for the eye. */}
                <span className="visually-hidden">
                  {`Order ${order.number}, ${customerName(order.customer)}, ${statusName(order.status)}, ${licenceKindName(order).toLowerCase()} ${orderTypeName(order)}`}
                </span>
                <span aria-hidden="true" className="mono order-number">
                  {order.number}
                </span>
                <span aria-hidden="true" className="ellipsis">
                  {customerName(order.customer)}
                </span>
                <span aria-hidden="true" className={`status status-${order.status}`}>
                  {statusName(order.status)}
                </span>
                <span aria-hidden="true">
                  {licenceKindName(order)} · {orderTypeName(order)}
                </span>
                <span aria-hidden="true" className="mono">
                  {order.quantity}
                </span>
                <span aria-hidden="true" className="mono">
                  {formatUnixDate(order.submitdate)}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
