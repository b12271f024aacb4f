// Reads the test log and prints the final "N passed, N failed" line over all suites.
import { readFileSync } from 'node:fs';

const [file, statusArg] = process.argv.slice(2);
// eslint-disable-next-line no-control-regex -- strip ANSI colours
const log = readFileSync(file, 'utf8').replace(/\x1b\[[0-9;]*m/g, '');
let passed = 0;
let failed = 0;
let skipped = 0;
for (const line of log.split('\n')) {
  // vitest: "      Tests  12 passed | 1 failed | 2 skipped (15)"
  const vitest = /^\s*Tests\s+(.*)\(\d+\)\s*$/.exec(line);
  if (vitest) {
    passed += Number(/(\d+) passed/.exec(vitest[1])?.[1] ?? 0);
    failed += Number(/(\d+) failed/.exec(vitest[1])?.[1] ?? 0);
    skipped += Number(/(\d+) skipped/.exec(vitest[1])?.[1] ?? 0);
    continue;
  }
  // Playwright list reporter: "  12 passed (30s)", "  1 failed", "  2 skipped"
  const pw = /^\s+(\d+) (passed|failed|skipped|flaky)( \(.*\))?\s*$/.exec(line);
  if (pw) {
    if (pw[2] === 'passed') passed += Number(pw[1]);
    if (pw[2] === 'failed' || pw[2] === 'flaky') failed += Number(pw[1]);
    if (pw[2] === 'skipped') skipped += Number(pw[1]);
  }
}
// A red run whose failure left no counted test (a type error, a lint error, a crash) still counts as one failure.
if (Number(statusArg) !== 0 && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
