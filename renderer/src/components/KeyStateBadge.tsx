import {
  actionResultMeaning,
  apiErrors,
  isApiErrorCode,
  type ActionResult,
} from '../../../shared/guardant/codes';
import type { AttachedKey } from '../../../shared/station/models';
import { OrderRef } from './OrderRef';

const labels: Record<AttachedKey['state'], string> = {
  new: 'New',
  'in-order': 'In an order',
  written: 'Written',
  failed: 'Failed',
};
const marks: Record<AttachedKey['state'], string> = { new: '○', 'in-order': '◐', written: '✓', failed: '✕' };

export function isActionResult(code: number): code is ActionResult {
  return Object.prototype.hasOwnProperty.call(actionResultMeaning, code);
}

/** ActionResult codes in two words, for filters and tight columns. */
export const actionResultShortName: Record<ActionResult, string> = {
  0: 'success',
  2: 'no activations',
  5: 'subscription ended',
  13: 'prepare error',
  14: 'memory too small',
  15: 'feature unfunded',
  201: 'write failed',
  202: 'key gone',
  666: 'unknown error',
};

/** A write's outcome in words: an ActionResult, or the API code that stopped it before writing. */
export function actionResultText(code: number): string {
  if (isActionResult(code)) return actionResultMeaning[code];
  if (isApiErrorCode(code)) return `${apiErrors[code].description}.`;
  return `The key answered code ${code}.`;
}

/** A key's state in words and a mark, the colour only repeating them. */
export function KeyStateBadge({
  keyInfo,
}: {
  keyInfo: Pick<AttachedKey, 'state' | 'orderId' | 'lastActionResult'>;
}) {
  const { state, orderId, lastActionResult } = keyInfo;
  return (
    <span className={`key-state key-state-${state}`}>
      <span className="key-state-label">
        <span aria-hidden="true">{marks[state]} </span>
        {labels[state]}
        {orderId !== null && state !== 'new' && (
          <span className="key-state-order">
            {' '}
            · <OrderRef orderId={orderId} />
          </span>
        )}
      </span>
      {state === 'failed' && lastActionResult !== null && (
        <span className="key-state-detail">
          code {lastActionResult}: {actionResultText(lastActionResult)}
        </span>
      )}
    </span>
  );
}
