/** "7 of 20 done" with a bar; the native element carries role progressbar and its value. */
export function ProgressBar({ label, done, total }: { label: string; done: number; total: number }) {
  return (
    <div className="progress">
      <progress aria-label={label} max={Math.max(total, 1)} value={done} />
      <span className="progress-text mono">
        {done} of {total} done
      </span>
    </div>
  );
}
