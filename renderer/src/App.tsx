import { Announcer } from './components/Announcer';
import { AppHeader } from './components/AppHeader';
import { ConnectionLostBanner } from './components/ConnectionLostBanner';
import { NavTabs, PANEL_ID, tabId } from './components/NavTabs';
import { ShiftStartBanner } from './components/ShiftBar';
import { BatchAddScreen } from './screens/batch-add/BatchAddScreen';
import { BenchScreen } from './screens/bench/BenchScreen';
import { HistoryScreen } from './screens/history/HistoryScreen';
import { OrdersScreen } from './screens/orders/OrdersScreen';
import { QueueScreen } from './screens/queue/QueueScreen';
import { SettingsScreen } from './screens/settings/SettingsScreen';
import { ShiftLogScreen } from './screens/shift-log/ShiftLogScreen';
import { AutoModeSignals } from './screens/write/AutoModeSignals';
import { WriteScreen } from './screens/write/WriteScreen';
import { StationEventBridge } from './station/station-event-bridge';
import { useUi, type Screen } from './state/ui-store';

const screenComponents: Record<Screen, () => React.JSX.Element> = {
  bench: BenchScreen,
  orders: OrdersScreen,
  add: BatchAddScreen,
  write: WriteScreen,
  queue: QueueScreen,
  history: HistoryScreen,
  shiftlog: ShiftLogScreen,
  settings: SettingsScreen,
};

export function App({ connectionLost }: { connectionLost: boolean }) {
  const screen = useUi((s) => s.screen);
  const Current = screenComponents[screen];
  return (
    <div className="app">
      <StationEventBridge />
      <AutoModeSignals />
      <Announcer />
      <AppHeader stationLost={connectionLost} />
      {connectionLost && <ConnectionLostBanner />}
      {!connectionLost && <ShiftStartBanner />}
      <div className="app-body">
        <NavTabs />
        <main id={PANEL_ID} role="tabpanel" aria-labelledby={tabId(screen)} className="app-main">
          <Current />
        </main>
      </div>
    </div>
  );
}
