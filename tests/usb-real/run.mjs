// npm run test:usb: the real-USB suite under its fake bus (fake_usb_bus.py), or, where this machine
// cannot provide one, the same suite reported as skipped with the reason (so the final count says so).
//   node tests/usb-real/run.mjs [-- COMMAND ARGS...]   default COMMAND: the suite's vitest run
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const controller = fileURLToPath(new URL('./fake_usb_bus.py', import.meta.url));
const PYTHON = '/usr/bin/python3'; // Debian's, which has the gi module

const dash = process.argv.indexOf('--');
const command =
  dash >= 0
    ? process.argv.slice(dash + 1)
    : ['npx', 'vitest', 'run', '--config', 'vitest.usb-real.config.ts', ...process.argv.slice(2)];

const quiet = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;

/** Why this machine cannot run the fake bus, or null. */
function unavailable() {
  if (process.platform !== 'linux') return `the fake USB bus needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0)
    return 'the fake USB bus needs root (mount and netlink in private namespaces)';
  if (!existsSync(PYTHON))
    return `${PYTHON} is missing (npm test installs it: scripts/install-system-deps.sh)`;
  if (!quiet(PYTHON, ['-c', "import gi; gi.require_version('UMockdev', '1.0')"]))
    return 'umockdev is missing (apt-get install umockdev gir1.2-umockdev-1.0 python3-gi; scripts/install-system-deps.sh)';
  if (!quiet('unshare', ['--net', '--mount', 'true']))
    return 'this machine allows no private network and mount namespaces (unshare --net --mount)';
  if (!quiet('ip', ['-V'])) return 'iproute2 is missing (scripts/install-system-deps.sh)';
  return null;
}

const reason = unavailable();
let result;
if (reason) {
  console.log(`real-USB suite skipped: ${reason}`);
  result = spawnSync(command[0], command.slice(1), {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, KEYBENCH_USB_REAL_SKIP: reason },
  });
} else {
  result = spawnSync(PYTHON, [controller, '--', ...command], { cwd: root, stdio: 'inherit' });
}
if (result.error) console.error(`real-USB suite: ${result.error.message}`);
process.exit(result.status ?? 1);
