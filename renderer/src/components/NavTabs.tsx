import { useEffect, useRef, type KeyboardEvent } from 'react';
import { screens, useUi, type Screen } from '../state/ui-store';

export const screenTitles: Record<Screen, string> = {
  bench: 'Bench',
  orders: 'Orders',
  add: 'Add to order',
  write: 'Write licences',
  queue: 'Queue',
  history: 'History',
  shiftlog: 'Shift log',
  settings: 'Settings',
};

export const tabId = (screen: Screen) => `tab-${screen}`;
export const PANEL_ID = 'screen-panel';

/**
 * The screens as tabs: arrow keys move between them, Enter opens one, and Alt+1…Alt+8 open one
 * from anywhere.
 */
export function NavTabs() {
  const screen = useUi((s) => s.screen);
  const go = useUi((s) => s.go);
  const refs = useRef<Partial<Record<Screen, HTMLButtonElement | null>>>({});

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      const index = Number(event.key) - 1;
      const target = screens[index];
      if (!target) return;
      event.preventDefault();
      // Focus the tab first: the screen opened may then move focus into itself (Add and Write put
      // it in their order number field, so a scan that follows lands there).
      refs.current[target]?.focus();
      go(target);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  // Manual activation: arrows move focus along the tabs, Enter or Space opens one. Opening a screen
  // may move focus into it (the order number field, say), so arrows alone must not open screens.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const focused = screens.findIndex((s) => refs.current[s] === document.activeElement);
    const from = focused >= 0 ? focused : screens.indexOf(screen);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
    let next: Screen | undefined;
    if (step) next = screens[(from + step + screens.length) % screens.length];
    else if (event.key === 'Home') next = screens[0];
    else if (event.key === 'End') next = screens[screens.length - 1];
    if (!next) return;
    event.preventDefault();
    refs.current[next]?.focus();
  };

  return (
    <nav className="app-nav" aria-label="Screens">
      <div role="tablist" aria-orientation="vertical" aria-label="Screens" onKeyDown={onKeyDown}>
        {screens.map((s, i) => (
          <button
            key={s}
            ref={(el) => {
              refs.current[s] = el;
            }}
            type="button"
            role="tab"
            id={tabId(s)}
            aria-selected={s === screen}
            aria-controls={PANEL_ID}
            aria-keyshortcuts={`Alt+${i + 1}`}
            tabIndex={s === screen ? 0 : -1}
            onClick={() => go(s)}
          >
            <span className="tab-title">{screenTitles[s]}</span>
            <kbd aria-hidden="true">Alt+{i + 1}</kbd>
          </button>
        ))}
      </div>
    </nav>
  );
}
