import { useEffect, useId, useRef, useState } from 'react';
import type { Order } from '../../../shared/guardant/responses';
import { useOrderByNumber } from '../station/queries';
import { ErrorNotice } from './ErrorNotice';
import { StaleBadge } from './StaleBadge';
import { Field } from './Field';

interface Props {
  /** Called with the order the typed or scanned number names. */
  onResolved(order: Order): void;
  autoFocus?: boolean;
}

/**
 * Keyboard first: type the order number, or scan its barcode (a scanner types the digits and
 * Enter), and Enter looks it up.
 */
export function OrderNumberPicker({ onResolved, autoFocus }: Props) {
  const [text, setText] = useState('');
  const [number, setNumber] = useState<number | null>(null);
  const [invalid, setInvalid] = useState(false);
  const lookup = useOrderByNumber(number);
  const hintId = useId();

  const found = lookup.data?.order ?? null;
  // Only a new lookup result resolves; the callback's identity does not matter.
  const onResolvedRef = useRef(onResolved);
  useEffect(() => {
    onResolvedRef.current = onResolved;
  });
  useEffect(() => {
    if (found) onResolvedRef.current(found);
  }, [found]);

  return (
    <form
      className="order-picker"
      aria-label="Find order by number"
      onSubmit={(e) => {
        e.preventDefault();
        const digits = text.replace(/\s+/g, '');
        if (!/^\d{1,15}$/.test(digits)) {
          setInvalid(true);
          return;
        }
        setInvalid(false);
        setNumber(Number(digits));
        if (Number(digits) === number) void lookup.refetch();
      }}
    >
      <Field label="Order number">
        <input
          className="mono big-input"
          inputMode="numeric"
          autoComplete="off"
          autoFocus={autoFocus}
          value={text}
          aria-invalid={invalid}
          aria-describedby={hintId}
          onChange={(e) => setText(e.target.value)}
        />
      </Field>
      <button type="submit">Find order</button>
      <span id={hintId} className="muted">
        Type or scan the number, then Enter.
      </span>
      {invalid && (
        <p className="notice notice-error" role="alert">
          An order number is digits only.
        </p>
      )}
      {lookup.isFetching && <span className="muted">Looking up order {number}…</span>}
      {lookup.isError && (
        <ErrorNotice
          title={`Could not look up order ${number}`}
          error={lookup.error}
          onRetry={() => void lookup.refetch()}
        />
      )}
      {lookup.isSuccess && !found && (
        <p className="notice notice-error" role="alert">
          No order numbered {number}. Check the number on the work sheet.
          <StaleBadge view={lookup.data} />
        </p>
      )}
    </form>
  );
}
