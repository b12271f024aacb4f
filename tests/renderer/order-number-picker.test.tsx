import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Order } from '../../shared/guardant/responses';
import { StationRequestError } from '../../shared/ipc/station-api';
import { OrderNumberPicker } from '../../renderer/src/components/OrderNumberPicker';
import { useUi } from '../../renderer/src/state/ui-store';
import { fakeStation, renderWithStation } from './support/fake-station';
import { anOrder } from './support/samples';

const initialUi = useUi.getState();

/** The picker with a station that knows these orders, and the two callbacks the screen gives it. */
function renderPicker(orders: Order[]) {
  const station = fakeStation({
    'orders:list': ({ q }) => ({
      orders: orders.filter((o) => String(o.number).includes(q ?? '')),
      stale: false,
      fetchedAt: 1,
    }),
  });
  const onArm = vi.fn<(order: Order) => void>();
  const onDisarm = vi.fn<() => void>();
  renderWithStation(<OrderNumberPicker onArm={onArm} onDisarm={onDisarm} />, station);
  return { station, onArm, onDisarm, field: screen.getByRole('textbox', { name: 'Order number' }) };
}

describe('the order number field', () => {
  beforeEach(() => {
    // The ui store is a module singleton: each test starts from the app's first state.
    useUi.setState(initialUi, true);
  });

  it('takes focus on arrival, so a scan goes into it', () => {
    const { field } = renderPicker([]);
    expect(document.activeElement).toBe(field);
  });

  it('arms the order a barcode scanner types, digits then Enter, in one burst', async () => {
    const order = anOrder({ _id: 7, number: 4711 });
    const { onArm, station } = renderPicker([anOrder({ _id: 6, number: 47110 }), order]);
    // A scanner is a keyboard with no delay between keys.
    await userEvent.setup({ delay: null }).keyboard('4711{Enter}');
    await waitFor(() => expect(onArm).toHaveBeenCalledWith(order));
    expect(onArm).toHaveBeenCalledTimes(1);
    expect(station.calls).toEqual([{ channel: 'orders:list', request: { q: '4711', limit: 100 } }]);
  });

  it('a digit typed while focus is elsewhere starts a new number in the field', async () => {
    const order = anOrder({ number: 12 });
    const { onArm, field } = renderPicker([order]);
    const user = userEvent.setup({ delay: null });
    await user.type(field, '999');
    await user.click(screen.getByRole('button', { name: 'Arm order' }));
    // Focus is on the button now; the scanner's next number replaces what was there.
    await user.keyboard('12{Enter}');
    expect(field).toHaveProperty('value', '12');
    await waitFor(() => expect(onArm).toHaveBeenCalledWith(order));
  });

  it('arms nothing for an unknown number, and says so', async () => {
    const { onArm } = renderPicker([anOrder({ number: 5 })]);
    await userEvent.setup({ delay: null }).keyboard('404{Enter}');
    expect(await screen.findByRole('alert')).toHaveProperty(
      'textContent',
      expect.stringContaining('No order numbered 404'),
    );
    expect(onArm).not.toHaveBeenCalled();
  });

  it('refuses anything but digits without asking the station', async () => {
    const { onArm, station, field } = renderPicker([]);
    await userEvent.setup({ delay: null }).type(field, '12a{Enter}');
    expect(screen.getByRole('alert').textContent).toContain('digits only');
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(station.calls).toEqual([]);
    expect(onArm).not.toHaveBeenCalled();
  });

  it('disarms on every change to the number', async () => {
    const { onDisarm, field } = renderPicker([]);
    onDisarm.mockClear();
    await userEvent.setup({ delay: null }).type(field, '31');
    expect(onDisarm).toHaveBeenCalledTimes(2);
  });

  it('drops a lookup the operator typed past: only the latest Enter arms', async () => {
    let answer: (page: { orders: Order[]; stale: boolean; fetchedAt: number }) => void = () => {};
    const station = fakeStation({
      'orders:list': () => new Promise((resolve) => (answer = resolve)),
    });
    const onArm = vi.fn();
    renderWithStation(<OrderNumberPicker onArm={onArm} onDisarm={() => {}} />, station);
    const user = userEvent.setup({ delay: null });
    await user.keyboard('8{Enter}');
    await user.keyboard('9');
    await act(async () => answer({ orders: [anOrder({ number: 8 })], stale: false, fetchedAt: 1 }));
    expect(onArm).not.toHaveBeenCalled();
  });

  it('tells in words why a lookup failed and offers to try again', async () => {
    let fail = true;
    const order = anOrder({ number: 3 });
    const station = fakeStation({
      'orders:list': () => {
        if (fail) throw new StationRequestError({ code: 'SERVER_UNREACHABLE', message: 'ECONNREFUSED' });
        return { orders: [order], stale: false, fetchedAt: 1 };
      },
    });
    const onArm = vi.fn();
    renderWithStation(<OrderNumberPicker onArm={onArm} onDisarm={() => {}} />, station);
    const user = userEvent.setup({ delay: null });
    await user.keyboard('3{Enter}');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not look up order 3; nothing is armed.');
    expect(alert.textContent).toContain('The Guardant server cannot be reached.');
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    await waitFor(() => expect(onArm).toHaveBeenCalledWith(order));
  });
});
