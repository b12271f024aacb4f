import { useRef, useState } from 'react';
import type { Order } from '../../../shared/guardant/responses';
import type { AttachedKey, PreflightPurpose } from '../../../shared/station/models';
import { orderTakesKeys, useOrder, usePrecheck } from '../station/queries';
import { useUi } from '../state/ui-store';
import { ArmedOrder } from './ArmedOrder';
import { ErrorNotice } from './ErrorNotice';
import { OrderNumberPicker, type OrderNumberPickerHandle } from './OrderNumberPicker';
import { PreflightPanel } from './PreflightPanel';

/**
 * The armed order of a screen that starts work on the selected keys (Add, Write), with its pre-flight.
 * One place owns the rule that arming or disarming an order withdraws the re-writing confirmation,
 * so no screen can carry a confirmation given for one order over to the next.
 */
export function useArming(keys: AttachedKey[], purpose: PreflightPurpose) {
  const selectOrder = useUi((s) => s.selectOrder);
  const picker = useRef<OrderNumberPickerHandle>(null);
  const [armed, setArmed] = useState<Order | null>(null);
  const armedView = useOrder(armed?._id ?? null);
  // The freshest word on the armed order: its detail once loaded, else what the lookup found.
  const order = armed ? (armedView.data?.order._id === armed._id ? armedView.data.order : armed) : null;
  const eligible = order ? orderTakesKeys(order).ok : false;
  // Re-writing keys another order's licence is in is the operator's explicit choice, per armed order.
  const [rewriteConfirmed, setRewriteConfirmed] = useState(false);
  const dongleIds = keys.map((k) => k.dongleId);
  const precheck = usePrecheck(eligible ? order!._id : null, dongleIds, purpose, rewriteConfirmed);
  // The pre-flight decides what fits; without one (offline) the server judges each key.
  const selected = precheck.isSuccess ? precheck.data.selected : dongleIds;
  return {
    keys,
    picker,
    armed,
    armedView,
    order,
    eligible,
    precheck,
    selected,
    rewriteConfirmed,
    setRewriteConfirmed,
    arm(o: Order) {
      setArmed(o);
      setRewriteConfirmed(false);
      selectOrder(o._id);
    },
    disarm() {
      setArmed(null);
      setRewriteConfirmed(false);
    },
  };
}

export type Arming = ReturnType<typeof useArming>;

/** The number field, the armed order and, once it can take keys, the pre-flight of the selection. */
export function ArmingPanel({ arming }: { arming: Arming }) {
  // Taken apart here: read as `arming.x`, every field would look to the react-hooks rules like a read
  // of the ref `arming.picker` during render.
  const {
    keys,
    picker,
    armed,
    armedView,
    eligible,
    arm,
    disarm,
    precheck,
    rewriteConfirmed,
    setRewriteConfirmed,
  } = arming;
  return (
    <>
      <OrderNumberPicker ref={picker} onArm={arm} onDisarm={disarm} />
      {armed && armedView.isError && (
        <ErrorNotice
          title="Could not load the order"
          error={armedView.error}
          onRetry={() => void armedView.refetch()}
        />
      )}
      <ArmedOrder armed={armed} view={armedView.data} />
      {eligible && keys.length > 0 && (
        <PreflightPanel
          keys={keys}
          query={precheck}
          rewriteConfirmed={rewriteConfirmed}
          onRewriteConfirmed={setRewriteConfirmed}
        />
      )}
    </>
  );
}
