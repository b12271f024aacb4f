import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { MAX_BATCH_DONGLES } from '../../../../shared/guardant/codes';
import type { Order } from '../../../../shared/guardant/responses';
import { ArmingPanel, useArming } from '../../components/ArmingPanel';
import { ErrorNotice } from '../../components/ErrorNotice';
import { leftOutLine } from '../../components/PreflightPanel';
import { SelectedKeysLine } from '../../components/SelectedKeysLine';
import { plural } from '../../components/format';
import { orderRunName } from '../../components/order-text';
import { tellWhenAdded } from '../../station/announcements';
import { inBatches } from '../../station/batches';
import { useOutboxItem, useSeedOutboxItem } from '../../station/outbox-item';
import { orderTakesKeys } from '../../station/queries';
import { useStation } from '../../station/station-context';
import { useUi } from '../../state/ui-store';
import { useSelectedKeys } from '../../state/use-selected-keys';
import { RunKindNote } from '../../components/RunKindNote';
import { AddResults } from './AddResults';

/** What the add button will do, in its own words: "Add 12 keys to order 34 · Acme GmbH". */
function startLabel(order: Order | null, count: number): string {
  if (!order) return 'Add keys · no order armed';
  if (!orderTakesKeys(order).ok) return `Add keys · order ${order.number} cannot take keys`;
  return `Add ${plural(count, 'key')} to ${orderRunName(order)}`;
}

/**
 * Adds the selected keys to a Submitted hardware order: arm the order by its number and Enter, see
 * the pre-check, then the button that names the order sends. Sending disarms it.
 */
export function BatchAddScreen() {
  const api = useStation();
  const keys = useSelectedKeys();
  const addItemId = useUi((s) => s.addItemId);
  const followAddItem = useUi((s) => s.followAddItem);
  const seed = useSeedOutboxItem();
  const arming = useArming(keys, 'add');
  const { order, eligible, precheck, picker } = arming;
  const item = useOutboxItem(addItemId);
  /** What the last batch left out and why, still said after its order is disarmed. */
  const [sent, setSent] = useState<{ summary: string; leftOut: string | null } | null>(null);

  const toSend = arming.selected;
  // Over MAX_BATCH_DONGLES keys, one click queues one outbox item per batch; the screen follows the first.
  const add = useMutation({
    mutationFn: async (request: { orderId: number; dongleIds: number[] }) => {
      const queued = [];
      for (const batch of inBatches(request.dongleIds)) {
        queued.push(await api.invoke('keys:addToOrder', { orderId: request.orderId, dongleIds: batch }));
      }
      return queued;
    },
    onSuccess: (queued) => {
      queued.forEach(seed);
      followAddItem(queued[0]!.id);
      tellWhenAdded(queued.map((q) => q.id));
    },
  });

  const ready = eligible && keys.length > 0 && !precheck.isPending && toSend.length > 0;
  const start = () => {
    if (!order || !ready) return;
    add.mutate({ orderId: order._id, dongleIds: toSend });
    setSent(
      precheck.isSuccess
        ? {
            summary: `${orderRunName(order)}: ${precheck.data.summary}.`,
            leftOut: leftOutLine(precheck.data),
          }
        : null,
    );
    // A batch consumes its arming: the next order needs its own number and Enter.
    picker.current?.startOver();
  };

  return (
    <section className="screen" aria-labelledby="add-title">
      <div className="screen-head">
        <h1 id="add-title">Add to order</h1>
      </div>
      <RunKindNote screen="add" />
      <SelectedKeysLine keys={keys} />
      <ArmingPanel arming={arming} />
      <div className="toolbar">
        <button
          type="button"
          className="primary start-run"
          disabled={!ready || add.isPending}
          onClick={start}
        >
          {startLabel(order, toSend.length)}
        </button>
        {eligible && precheck.isSuccess && toSend.length === 0 && (
          <span className="muted" role="alert">
            None of the selected keys will be added; see the pre-flight above.
          </span>
        )}
      </div>
      {sent && (
        <p className="notice" role="status" aria-label="Last batch sent">
          Sent to {sent.summary} {sent.leftOut}
        </p>
      )}
      {add.isError && <ErrorNotice title="Could not queue the keys" error={add.error} />}
      {add.data && add.data.length > 1 && (
        <p className="muted" role="status">
          Queued in {add.data.length} batches of at most {MAX_BATCH_DONGLES} keys:{' '}
          {add.data.map((q) => `#${q.id}`).join(', ')} (the Queue screen shows each).
        </p>
      )}
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
