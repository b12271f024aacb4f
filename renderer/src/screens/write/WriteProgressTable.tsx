import type { WriteProgress } from '../../../../shared/station/models';
import { formatUnixDateTime } from '../../components/format';
import { actionResultText, isActionResult } from '../../components/KeyStateBadge';
import type { WriteJob } from '../../state/write-jobs-store';

const stageText: Record<WriteProgress['stage'], string> = {
  queued: 'Queued',
  adding: 'Adding to order',
  writing: 'Writing',
  verifying: 'Checking what the key holds',
  done: '✓ Written',
  failed: '✕ Failed',
  unplugged: '✕ Unplugged',
  'waiting-for-key': '⏸ Waiting for the key',
};

function LastBurn({ progress }: { progress: WriteProgress }) {
  const burn = progress.lastBurn;
  if (!burn || progress.stage === 'done') return null;
  return (
    <span className="muted">
      Last write {formatUnixDateTime(burn.actiondate)}: code {burn.actionresult}; activations consumed{' '}
      {burn.activationsconsumed}, remaining {burn.activationscountcurrent}
      {burn.netlicensesremains !== undefined && `; network licences remaining ${burn.netlicensesremains}`}
    </span>
  );
}

/** One row per key of a write job, updated as 'write:progress' arrives. */
export function WriteProgressTable({ job }: { job: WriteJob }) {
  return (
    <table className="data-table write-table" aria-label="Write progress">
      <thead>
        <tr>
          <th scope="col">Key id</th>
          <th scope="col">Stage</th>
          <th scope="col">Result</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        {job.dongleIds.map((dongleId) => {
          const progress = job.latest[dongleId]!;
          const failed = progress.stage === 'failed' || progress.stage === 'unplugged';
          const code = progress.actionResult ?? progress.apiCode;
          // An ActionResult reads in the vendor's words; anything else (an API code) in the station's.
          const result = code !== null && isActionResult(code) ? actionResultText(code) : progress.message;
          const details = result === progress.message ? '' : progress.message;
          return (
            <tr
              key={dongleId}
              className={failed ? 'row-failed' : progress.stage === 'done' ? 'row-done' : undefined}
            >
              <td className="mono key-id-small">{dongleId}</td>
              <td className={`stage stage-${progress.stage}`}>{stageText[progress.stage]}</td>
              <td>
                {code !== null && <code>{code}</code>} {result}
              </td>
              <td>
                {details && <span>{details} </span>}
                <LastBurn progress={progress} />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
