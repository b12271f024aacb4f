import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { ErrorNotice } from '../../components/ErrorNotice';
import { OrderNumberPicker } from '../../components/OrderNumberPicker';
import { OrderSummary } from '../../components/OrderSummary';
import { SelectedKeysLine } from '../../components/SelectedKeysLine';
import { plural } from '../../components/format';
import { useOutboxItem, useSeedOutboxItem } from '../../station/outbox-item';
import { orderTakesKeys, useOrder, usePrecheck } from '../../station/queries';
import { useStation } from '../../station/station-context';
import { useUi } from '../../state/ui-store';
import { useSelectedKeys } from '../../state/use-selected-keys';
import { AddResults } from './AddResults';
import { PrecheckTable } from './PrecheckTable';

/** Adds the selected keys to a Submitted hardware order: pick the order, see the pre-check, send. */
export function BatchAddScreen() {
  const api = useStation();
  const keys = useSelectedKeys();
  const dongleIds = keys.map((k) => k.dongleId);
  const orderId = useUi((s) => s.selectedOrderId);
  const selectOrder = useUi((s) => s.selectOrder);
  const addItemId = useUi((s) => s.addItemId);
  const followAddItem = useUi((s) => s.followAddItem);
  const seed = useSeedOutboxItem();

  const order = useOrder(orderId);
  const eligible = order.data ? orderTakesKeys(order.data.order).ok : false;
  const precheck = usePrecheck(eligible ? orderId : null, dongleIds);
  const item = useOutboxItem(addItemId);

  // Keys the server would refuse are left out; without a pre-check (offline) the server judges each.
  const toSend = precheck.isSuccess ? precheck.data.filter((v) => v.ok).map((v) => v.dongleId) : dongleIds;
  const add = useMutation({
    mutationFn: () => api.invoke('keys:addToOrder', { orderId: orderId!, dongleIds: toSend }),
    onSuccess: (queued) => {
      seed(queued);
      followAddItem(queued.id);
    },
  });

  // Scan, Enter, check the verdicts, Enter: the add button takes focus once the pre-check is in.
  const addButton = useRef<HTMLButtonElement>(null);
  const verdictsIn = precheck.isSuccess || precheck.isError;
  useEffect(() => {
    if (verdictsIn) addButton.current?.focus();
  }, [verdictsIn, orderId]);

  const ready = eligible && keys.length > 0 && !precheck.isPending && toSend.length > 0;

  return (
    <section className="screen" aria-labelledby="add-title">
      <div className="screen-head">
        <h1 id="add-title">Add to order</h1>
      </div>
      <SelectedKeysLine keys={keys} />
      <OrderNumberPicker autoFocus onResolved={(o) => selectOrder(o._id)} />

      {order.isError && (
        <ErrorNotice
          title="Could not load the order"
          error={order.error}
          onRetry={() => void order.refetch()}
        />
      )}
      {order.data && <OrderSummary view={order.data} />}

      {eligible && keys.length > 0 && (
        <>
          <h2>Pre-check</h2>
          {precheck.isPending && <p className="muted">Asking the server about each key…</p>}
          {precheck.isError && (
            <ErrorNotice
              title="Could not pre-check the keys"
              error={precheck.error}
              onRetry={() => void precheck.refetch()}
            />
          )}
          {precheck.isSuccess && <PrecheckTable keys={keys} verdicts={precheck.data} />}
          {precheck.isSuccess && toSend.length === 0 && (
            <p className="notice notice-error" role="alert">
              None of the selected keys can be added to this order.
            </p>
          )}
          <div className="toolbar">
            <button
              ref={addButton}
              type="button"
              className="primary"
              disabled={!ready || add.isPending}
              onClick={() => add.mutate()}
            >
              Add {plural(toSend.length, 'key')}
            </button>
            {precheck.isSuccess && toSend.length < keys.length && toSend.length > 0 && (
              <span className="muted">
                {keys.length - toSend.length} refused by the pre-check will be left out.
              </span>
            )}
          </div>
        </>
      )}
      {add.isError && <ErrorNotice title="Could not queue the keys" error={add.error} />}
      {item.isError && (
        <ErrorNotice
          title={`Could not read batch #${addItemId}`}
          error={item.error}
          onRetry={() => void item.refetch()}
        />
      )}
      {item.data && <AddResults item={item.data} />}
    </section>
  );
}
