import type { Order } from '../../../../shared/guardant/responses';
import type { AttachedKey } from '../../../../shared/station/models';
import { updateOrderKey, updateOrderWritable } from '../../../../shared/station/update-order';

interface Props {
  order: Order;
  /** Every key on the bench. */
  keys: AttachedKey[];
  disabled: boolean;
  onWrite(dongleId: number): void;
}

/**
 * A hardware Update order takes no keys: it names the one key it updates. The screen says which key,
 * whether it is plugged (and where), and writes it once it is; the bench selection plays no part.
 */
export function UpdateOrderTarget({ order, keys, disabled, onWrite }: Props) {
  const dongleId = updateOrderKey(order);
  if (dongleId === null) return null;
  const writable = updateOrderWritable(order);
  const key = keys.find((k) => k.dongleId === dongleId);
  return (
    <section className="panel update-target" aria-label="Key this Update order needs">
      <h2>
        Update order {order.number} is for key <span className="mono">{dongleId}</span>
      </h2>
      {!writable.ok ? (
        <p className="notice notice-warning">{writable.reason}</p>
      ) : (
        <p role="status" aria-label="Where the key is">
          {key
            ? `Key ${dongleId} is plugged in: plug #${key.plugOrder}, USB port ${key.usbPath ?? 'unknown'}.`
            : `Plug key ${dongleId} in to write it: it is not on the bench. The selected keys are not used.`}
        </p>
      )}
      <div className="toolbar">
        <button
          type="button"
          className="primary start-run"
          disabled={disabled || !writable.ok || !key}
          onClick={() => onWrite(dongleId)}
        >
          Write order {order.number} into key {dongleId}
        </button>
      </div>
    </section>
  );
}
