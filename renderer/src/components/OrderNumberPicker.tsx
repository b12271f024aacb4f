import {
  useCallback,
  useEffect,
  useId,
  useImperativeHandle,
  useLayoutEffect,
  useRef,
  useState,
  type Ref,
} from 'react';
import type { Order } from '../../../shared/guardant/responses';
import { findOrderByNumber } from '../station/queries';
import { useStation } from '../station/station-context';
import { useUi } from '../state/ui-store';
import { ErrorNotice } from './ErrorNotice';
import { StaleBadge } from './StaleBadge';
import { Field } from './Field';

export interface OrderNumberPickerHandle {
  /** Empties the field, drops any lookup and puts focus in the field: ready for the next scan. */
  startOver(): void;
}

interface Props {
  /** The order the number just confirmed with Enter names: the screen arms it. */
  onArm(order: Order): void;
  /** Anything new was typed or scanned, or the screen was arrived at: nothing is armed any more. */
  onDisarm(): void;
  ref?: Ref<OrderNumberPickerHandle>;
}

type Lookup =
  | { state: 'idle' }
  | { state: 'looking'; number: number }
  | { state: 'missing'; number: number; view: { stale: boolean; fetchedAt: number | null } }
  | { state: 'failed'; number: number; error: unknown };

const EDITABLE = new Set(['INPUT', 'TEXTAREA', 'SELECT']);

/**
 * Scanner-safe arming. A barcode scanner is a keyboard: it types the digits and Enter into whatever
 * has focus. So the number field takes focus on every arrival, a digit typed anywhere else on the
 * screen starts a new number in the field, any change to the number disarms, and Enter only looks
 * the number up and arms that order (an unknown number arms nothing). Starting is never Enter in
 * the field: it is the screen's own button, which names the armed order.
 */
export function OrderNumberPicker({ onArm, onDisarm, ref }: Props) {
  const api = useStation();
  const arrival = useUi((s) => s.arrival);
  const arrivalOrderNumber = useUi((s) => s.arrivalOrderNumber);
  const input = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const [text, setText] = useState(() => (arrivalOrderNumber === null ? '' : String(arrivalOrderNumber)));
  const [invalid, setInvalid] = useState(false);
  const [lookup, setLookup] = useState<Lookup>({ state: 'idle' });
  /** Bumped by every new input: a lookup answers only if nothing was typed since its Enter. */
  const generation = useRef(0);

  const callbacks = useRef({ onArm, onDisarm });
  useLayoutEffect(() => {
    callbacks.current = { onArm, onDisarm };
  });

  /** Whatever was armed, or is being looked up, no longer stands. */
  const abandon = useCallback(() => {
    generation.current += 1;
    setLookup({ state: 'idle' });
    setInvalid(false);
    callbacks.current.onDisarm();
  }, []);

  // Each arrival on the screen (also Alt+digit to the screen already shown) disarms and puts focus
  // in the field, its text selected so a scan replaces it.
  const [seenArrival, setSeenArrival] = useState(arrival);
  if (seenArrival !== arrival) {
    setSeenArrival(arrival);
    setText(arrivalOrderNumber === null ? '' : String(arrivalOrderNumber));
  }
  useLayoutEffect(() => {
    // Not derived state: an arrival tells the screen (onDisarm) and the pending lookup (generation) to
    // let go, which render may not do; the field's own reset rides along.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    abandon();
    input.current?.focus();
    input.current?.select();
  }, [arrival, abandon]);

  const startOver = useCallback(
    (first = '') => {
      abandon();
      setText(first);
      input.current?.focus();
    },
    [abandon],
  );
  useImperativeHandle(ref, () => ({ startOver: () => startOver() }), [startOver]);

  // A digit typed while focus is elsewhere on the screen (the start button, say) belongs to a new
  // number: it goes into the field, which takes focus for the digits and the Enter that follow.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
      if (!/^[0-9]$/.test(event.key)) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target === input.current) return;
      if (target && (target.isContentEditable || EDITABLE.has(target.tagName))) return;
      event.preventDefault();
      startOver(event.key);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [startOver]);

  const arm = async (number: number) => {
    const mine = ++generation.current;
    setLookup({ state: 'looking', number });
    try {
      const found = await findOrderByNumber(api, number);
      if (generation.current !== mine) return;
      if (found.order) {
        setLookup({ state: 'idle' });
        callbacks.current.onArm(found.order);
      } else {
        setLookup({ state: 'missing', number, view: found });
      }
    } catch (error) {
      if (generation.current !== mine) return;
      setLookup({ state: 'failed', number, error });
    }
  };

  return (
    <form
      className="order-picker"
      aria-label="Arm an order by its number"
      onSubmit={(e) => {
        e.preventDefault();
        abandon();
        // The number stays in view, selected: the next scan replaces it instead of appending to it.
        input.current?.select();
        const digits = text.replace(/\s+/g, '');
        if (!/^\d{1,15}$/.test(digits)) {
          setInvalid(true);
          return;
        }
        void arm(Number(digits));
      }}
    >
      <Field label="Order number">
        <input
          ref={input}
          className="mono big-input"
          inputMode="numeric"
          autoComplete="off"
          value={text}
          aria-invalid={invalid}
          aria-describedby={hintId}
          onChange={(e) => {
            abandon();
            setText(e.target.value);
          }}
        />
      </Field>
      <button type="submit">Arm order</button>
      <span id={hintId} className="muted">
        Type or scan the number, then Enter. Enter only arms the order; its button below starts.
      </span>
      {invalid && (
        <p className="notice notice-error" role="alert">
          An order number is digits only. Nothing is armed.
        </p>
      )}
      {lookup.state === 'looking' && <span className="muted">Looking up order {lookup.number}…</span>}
      {lookup.state === 'failed' && (
        <ErrorNotice
          title={`Could not look up order ${lookup.number}; nothing is armed`}
          error={lookup.error}
          onRetry={() => void arm(lookup.number)}
        />
      )}
      {lookup.state === 'missing' && (
        <p className="notice notice-error" role="alert">
          No order numbered {lookup.number}. Check the number on the work sheet. Nothing is armed.
          <StaleBadge view={lookup.view} />
        </p>
      )}
    </form>
  );
}
