import { describeError } from '../station/describe-error';

interface Props {
  /** What was being done, e.g. "Could not load the orders". */
  title: string;
  error: unknown;
  onRetry?: () => void;
}

/** A failed request, never swallowed: what happened, its code, and what the operator can do. */
export function ErrorNotice({ title, error, onRetry }: Props) {
  const { message, code, advice } = describeError(error);
  return (
    <div className="notice notice-error" role="alert">
      <p className="notice-title">
        {title}: {message}
        {code && <code className="notice-code">{code}</code>}
      </p>
      <p className="notice-advice">{advice}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
