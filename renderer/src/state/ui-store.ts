import { create } from 'zustand';
import type { OrderSort } from '../../../shared/guardant/requests';
import type { KeyState } from '../../../shared/station/models';

export const screens = [
  'bench',
  'orders',
  'add',
  'write',
  'queue',
  'history',
  'shiftlog',
  'settings',
] as const;
export type Screen = (typeof screens)[number];

export interface OrderFilters {
  sortby: OrderSort;
  direction: 'asc' | 'desc';
  /** Order statuses to show; empty means all. */
  status: number[];
  /** Licence kind to show: hardware orders are the ones a bench works on. */
  kind: OrderKindFilter;
  q: string;
}

export type OrderKindFilter = 'hardware' | 'software' | 'any';

/**
 * What an operator at a bench can work on: Submitted hardware orders (keys go into those only). The
 * list opens on them; one click shows every order.
 */
export const WORKABLE_ORDERS: Pick<OrderFilters, 'status' | 'kind'> = { status: [1], kind: 'hardware' };
export const ALL_ORDERS: Pick<OrderFilters, 'status' | 'kind'> = { status: [], kind: 'any' };

/** The Bench table's sortable columns, named after the key's fields. */
export const benchColumns = [
  'plugOrder',
  'dongleId',
  'model',
  'publicCode',
  'netResource',
  'driverType',
  'state',
  'pluggedAt',
  'usbPath',
] as const;
export type BenchColumn = (typeof benchColumns)[number];

export interface BenchView {
  /** Only keys in this state; null shows every key. */
  state: KeyState | null;
  sortBy: BenchColumn;
  direction: 'asc' | 'desc';
}

interface UiState {
  screen: Screen;
  /**
   * Counts every go(), also to the screen already shown. The order-taking screens (Add, Write) treat
   * each as an arrival: nothing stays armed, the number field takes focus.
   */
  arrival: number;
  /**
   * A number to put in the order number field on arrival, when the operator came from that order's
   * own button. It is only text in the field: arming still takes Enter.
   */
  arrivalOrderNumber: number | null;
  /** Keys ticked on the bench, in the order they were ticked. */
  selectedKeyIds: number[];
  /** The key a Shift-click extends a range from (the last key ticked or unticked by hand). */
  selectionAnchor: number | null;
  /** How the Bench table filters and sorts the keys. */
  benchView: BenchView;
  /** The key whose details the Bench shows. */
  openKeyId: number | null;
  /** The order open in Orders; Add and Write set it when they arm an order, but never arm from it. */
  selectedOrderId: number | null;
  orderFilters: OrderFilters;
  /** The key the History screen shows. */
  historyKeyId: number | null;
  /** The write job the Write screen follows. */
  writeJobId: string | null;
  /** The add-keys outbox item the Add to order screen follows. */
  addItemId: number | null;

  go(screen: Screen, options?: { orderNumber?: number }): void;
  setKeySelected(dongleId: number, selected: boolean): void;
  selectKeys(dongleIds: number[]): void;
  /** Ticks (or unticks) many keys at once, leaving the others as they are. */
  setKeysSelected(dongleIds: number[], selected: boolean): void;
  setSelectionAnchor(dongleId: number | null): void;
  setBenchView(patch: Partial<BenchView>): void;
  openKey(dongleId: number | null): void;
  selectOrder(orderId: number | null): void;
  setOrderFilters(patch: Partial<OrderFilters>): void;
  showHistoryOf(dongleId: number | null): void;
  followWriteJob(jobId: string | null): void;
  followAddItem(itemId: number | null): void;
}

/** UI state only: what is selected, shown and filtered. Server data lives in React Query. */
export const useUi = create<UiState>()((set) => ({
  screen: 'bench',
  arrival: 0,
  arrivalOrderNumber: null,
  selectedKeyIds: [],
  selectionAnchor: null,
  benchView: { state: null, sortBy: 'plugOrder', direction: 'asc' },
  openKeyId: null,
  selectedOrderId: null,
  orderFilters: { sortby: 'number', direction: 'desc', ...WORKABLE_ORDERS, q: '' },
  historyKeyId: null,
  writeJobId: null,
  addItemId: null,

  go: (screen, options) =>
    set((state) => ({
      screen,
      arrival: state.arrival + 1,
      arrivalOrderNumber: options?.orderNumber ?? null,
    })),
  setKeySelected: (dongleId, selected) =>
    set((state) => {
      const has = state.selectedKeyIds.includes(dongleId);
      if (selected === has) return state;
      return {
        selectedKeyIds: selected
          ? [...state.selectedKeyIds, dongleId]
          : state.selectedKeyIds.filter((id) => id !== dongleId),
      };
    }),
  selectKeys: (dongleIds) => set({ selectedKeyIds: [...new Set(dongleIds)] }),
  setKeysSelected: (dongleIds, selected) =>
    set((state) => {
      if (selected) return { selectedKeyIds: [...new Set([...state.selectedKeyIds, ...dongleIds])] };
      const drop = new Set(dongleIds);
      return { selectedKeyIds: state.selectedKeyIds.filter((id) => !drop.has(id)) };
    }),
  setSelectionAnchor: (selectionAnchor) => set({ selectionAnchor }),
  setBenchView: (patch) => set((state) => ({ benchView: { ...state.benchView, ...patch } })),
  openKey: (openKeyId) => set({ openKeyId }),
  selectOrder: (selectedOrderId) => set({ selectedOrderId }),
  setOrderFilters: (patch) => set((state) => ({ orderFilters: { ...state.orderFilters, ...patch } })),
  showHistoryOf: (historyKeyId) => set({ historyKeyId }),
  followWriteJob: (writeJobId) => set({ writeJobId }),
  followAddItem: (addItemId) => set({ addItemId }),
}));
