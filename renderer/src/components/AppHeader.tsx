import { useStationInfo } from '../station/queries';
import { ConnectionBadge } from './ConnectionBadge';
import { QueueDepth } from './QueueDepth';
import { ShiftStatus } from './ShiftBar';

export function AppHeader({ stationLost }: { stationLost: boolean }) {
  const info = useStationInfo();
  return (
    <header className="app-header">
      <div className="app-title">
        <span className="app-name">Keybench</span>
        {info.data && (
          <span className="app-station">
            {info.data.stationName}
            {info.data.bench === 'simulated' && <span className="badge badge-sim">Simulated bench</span>}
          </span>
        )}
      </div>
      <div className="app-status">
        <ShiftStatus />
        <ConnectionBadge stationLost={stationLost} />
        <QueueDepth />
      </div>
    </header>
  );
}
