import { describeError } from '../station/describe-error';

interface Props {
  /** What was being done, e.g. "Could not load the orders". */
  title: string;
  error: unknown;
  onRetry?: () => void;
}

/**
 * Every failed request the operator sees, one way: what was being done, what happened and what to do,
 * in sentences. The codes and the station's own text are folded into "Details for support".
 */
export function ErrorNotice({ title, error, onRetry }: Props) {
  const { summary, advice, code, message } = describeError(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">
        {title.replace(/[.:]$/, '')}. {summary}
      </p>
      <p className="notice-advice">{advice}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
      <ErrorDetails code={code} message={message} />
    </div>
  );
}

/** The support-only part of an error: folded away, selectable, never the headline. */
export function ErrorDetails({ code, message }: { code: string | null; message: string }) {
  if (!code && !message) return null;
  return (
    <details className="notice-details">
      <summary>Details for support</summary>
      <p>
        {code && <code className="notice-code">{code}</code>} {message}
      </p>
    </details>
  );
}
