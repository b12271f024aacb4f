import type { Settings } from '../../../../shared/station/models';

/**
 * Which bench this station runs, read-only. The host composes the bench when it starts (a simulated one
 * brings its own license manager; a real one opens USB and the local license manager), so a choice
 * saved here could only take effect after a restart the station cannot do for itself: it is decided
 * where the station is started instead, and this says how.
 */
export function BenchNote({ bench }: { bench: Settings['bench'] }) {
  return (
    <div className="bench-note" role="group" aria-labelledby="bench-note-title">
      <p>
        <strong id="bench-note-title">Bench: </strong>
        {bench === 'real' ? 'real USB hub.' : 'simulated (training and demos).'}
      </p>
      <p className="muted">
        The bench is chosen when the station starts, not here: <span className="mono">--bench real</span> or{' '}
        <span className="mono">--bench simulated</span> with <span className="mono">npm run start:web</span>;
        the desktop app uses real keys when <span className="mono">KEYBENCH_SERVER_URL</span> is set. Restart
        the station to change it.
      </p>
    </div>
  );
}
