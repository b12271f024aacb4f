import { beforeEach, describe, expect, it } from 'vitest';
import { useUi } from '../../renderer/src/state/ui-store';

const initial = useUi.getState();
const ui = () => useUi.getState();

describe('the UI store', () => {
  beforeEach(() => {
    useUi.setState(initial, true);
  });

  it('keeps ticked keys in the order they were ticked, each once', () => {
    ui().setKeySelected(5, true);
    ui().setKeySelected(2, true);
    ui().setKeySelected(5, true);
    expect(ui().selectedKeyIds).toEqual([5, 2]);
    ui().setKeySelected(5, false);
    expect(ui().selectedKeyIds).toEqual([2]);
  });

  it('ticks a range on top of the selection and unticks only the range', () => {
    ui().selectKeys([1, 1, 4]);
    expect(ui().selectedKeyIds).toEqual([1, 4]);
    ui().setKeysSelected([4, 5, 6], true);
    expect(ui().selectedKeyIds).toEqual([1, 4, 5, 6]);
    ui().setKeysSelected([4, 6], false);
    expect(ui().selectedKeyIds).toEqual([1, 5]);
  });

  it('counts every arrival, also on the screen already shown, and drops a number not given again', () => {
    ui().go('write', { orderNumber: 77 });
    expect(ui()).toMatchObject({ screen: 'write', arrival: 1, arrivalOrderNumber: 77 });
    ui().go('write');
    expect(ui()).toMatchObject({ screen: 'write', arrival: 2, arrivalOrderNumber: null });
  });

  it('changes one part of the bench view at a time', () => {
    ui().setBenchView({ sortBy: 'usbPath' });
    ui().setBenchView({ direction: 'desc' });
    expect(ui().benchView).toEqual({ state: null, sortBy: 'usbPath', direction: 'desc' });
  });
});
