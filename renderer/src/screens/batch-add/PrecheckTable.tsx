import { dongleModelName } from '../../../../shared/guardant/codes';
import type { AttachedKey, PrecheckVerdict } from '../../../../shared/station/models';

/** The server's verdict on each key before anything is sent. */
export function PrecheckTable({ keys, verdicts }: { keys: AttachedKey[]; verdicts: PrecheckVerdict[] }) {
  const byKey = new Map(verdicts.map((v) => [v.dongleId, v]));
  return (
    <table className="data-table" aria-label="Pre-check of the selected keys">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Key id</th>
          <th scope="col">Model</th>
          <th scope="col">Net resource</th>
          <th scope="col">Verdict</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((key) => {
          const verdict = byKey.get(key.dongleId);
          return (
            <tr key={key.dongleId}>
              <td className="mono">{key.plugOrder}</td>
              <td className="mono key-id-small">{key.dongleId}</td>
              <td>{dongleModelName[key.model] ?? `model ${key.model}`}</td>
              <td className="mono">{key.netResource}</td>
              <td>
                {!verdict ? (
                  <span className="muted">No verdict</span>
                ) : verdict.ok ? (
                  <span className="result-ok">✓ Can be added</span>
                ) : (
                  <span className="result-failed">
                    ✕ {verdict.message} <code>{verdict.code}</code>
                  </span>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
