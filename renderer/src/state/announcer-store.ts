import { create } from 'zustand';

interface AnnouncerState {
  /** What the app's one polite live region says now. */
  message: string;
  announce(text: string): void;
}

/**
 * What the app tells a screen reader user without moving focus: results of writes and adds, and the
 * connection coming and going. One region for the whole app, so announcements never talk over each
 * other and every screen can speak without owning a region of its own.
 */
export const useAnnouncer = create<AnnouncerState>()((set) => ({
  message: '',
  // A live region speaks only when its text changes: the same sentence twice ("Key 5 written" for a
  // retry) gets a trailing no-break space so it is said again.
  announce: (text) => set((state) => ({ message: state.message === text ? `${text}\u00a0` : text })),
}));

export const announce = (text: string) => useAnnouncer.getState().announce(text);
