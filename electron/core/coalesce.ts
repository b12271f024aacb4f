/**
 * Turns many calls into few: the first call runs fn after the current tick, and calls arriving within
 * `windowMs` after a run are folded into one more run at the end of the window. The last change is
 * always reported; nothing is reported more often than once per window.
 */
export function coalesce(windowMs: number, fn: () => void): () => void {
  let scheduled = false;
  let lastRun = -Infinity;
  const run = () => {
    scheduled = false;
    lastRun = performance.now();
    fn();
  };
  return () => {
    if (scheduled) return;
    scheduled = true;
    const wait = lastRun + windowMs - performance.now();
    if (wait > 0) setTimeout(run, wait);
    else setImmediate(run);
  };
}
