import type { UsbNotice, UsbStatus } from '../../../shared/station/models';
import type { UsbWatcherStatus } from './usb-watcher';

/** What the station knows about the host beside the watcher's own status. */
export interface UsbHostFacts {
  /** udevDaemonRunning(): false means no hot-plug events will come; null when that is not a question. */
  udevRunning: boolean | null;
  /** Where this installation's udev rule file is, for the command the operator is told to run. */
  udevRulesPath: string | null;
  rescanIntervalMs: number;
}

/** The rules' installed name; README's "Desktop station" gives the same command. */
const RULES_TARGET = '/etc/udev/rules.d/';

export function installRuleCommand(rulesPath: string | null): string {
  const source = rulesPath ?? '70-guardant.rules';
  return `sudo install -m 0644 ${shellQuote(source)} ${RULES_TARGET} && sudo udevadm control --reload-rules && sudo udevadm trigger`;
}

function shellQuote(text: string): string {
  return /^[\w./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const keys = (n: number) => (n === 1 ? '1 key' : `${n} keys`);

/** usb v3's message when the host has no USB subsystem: "getDevices error: /sys/bus/usb/devices/ not found". */
function isNoSubsystem(error: string): boolean {
  return /\/sys\/bus\/usb/.test(error) && /not found|errno 2\b|ENOENT/i.test(error);
}

function isPermission(error: string): boolean {
  return /permission denied|errno 13\b|EACCES|EPERM|access denied/i.test(error);
}

/**
 * The bench's USB state in the operator's words: each problem says what is wrong, what it means
 * for the bench, and what to do, with the exact command where there is one.
 */
export function describeUsbStatus(status: UsbWatcherStatus, host: UsbHostFacts): UsbStatus {
  const notices: UsbNotice[] = [];
  const every =
    host.rescanIntervalMs > 0 ? `Keybench looks again every ${seconds(host.rescanIntervalMs)}` : '';
  if (status.scan && !status.scan.ok) {
    if (isNoSubsystem(status.scan.error)) {
      notices.push({
        code: 'no-usb-subsystem',
        severity: 'error',
        title: 'No USB on this computer: no keys can be found',
        detail:
          'There is no USB subsystem (/sys/bus/usb is missing), as in a container or a virtual machine ' +
          'without USB passthrough. Run the station on the computer the hub is plugged into. ' +
          `${every ? `${every}; ` : ''}orders, the queue and history keep working.`,
        command: 'ls /sys/bus/usb/devices',
      });
    } else {
      notices.push({
        code: 'usb-scan-failed',
        severity: 'error',
        title: 'Keybench could not read USB: no keys can be found',
        detail: `Reading USB failed: ${status.scan.error}. ${every ? `${every}.` : ''}`.trim(),
        command: null,
      });
    }
  }
  const serialDenied = status.unreadableSerials > 0 && isPermission(status.serialError ?? '');
  if (status.accessDenied > 0 || serialDenied) {
    const count = Math.max(status.accessDenied, serialDenied ? status.unreadableSerials : 0);
    notices.push({
      code: 'no-permission',
      severity: 'warning',
      title: 'No permission to read Guardant keys: install the udev rule',
      detail:
        `This user may not open ${keys(count)} (the udev rule that grants it is missing), so anything ` +
        'reading them in this session fails. Install the rule, then unplug and plug the keys again.',
      command: installRuleCommand(host.udevRulesPath),
    });
  } else if (status.unreadableSerials > 0) {
    notices.push({
      code: 'serial-unreadable',
      severity: 'warning',
      title: `The serial number of ${keys(status.unreadableSerials)} could not be read`,
      detail:
        `${keys(status.unreadableSerials)} could not be opened (${status.serialError || 'no reason given'}). ` +
        'They are still listed by their USB port once the license manager reads them. If this stays, ' +
        'install the udev rule, then unplug and plug the keys again.',
      command: installRuleCommand(host.udevRulesPath),
    });
  }
  // Evidence beats the heuristic: once an event came, hot-plug works whatever the probe says.
  const noHotplug = status.listening && !status.hotplugSeen && host.udevRunning === false;
  if (noHotplug) {
    notices.push({
      code: 'no-hotplug',
      severity: 'warning',
      title: 'USB hot-plug is not available: is the udev service running?',
      detail:
        'Keys plugged or unplugged show up only when Keybench looks again' +
        `${host.rescanIntervalMs > 0 ? `, every ${seconds(host.rescanIntervalMs)}` : ''}. ` +
        'Check the service, and start it with: sudo systemctl start systemd-udevd',
      command: 'systemctl status systemd-udevd',
    });
  }
  return {
    hotplug: !status.scan
      ? 'unknown'
      : status.hotplugSeen || (status.listening && !noHotplug)
        ? 'events'
        : 'rescan-only',
    rescanIntervalMs: host.rescanIntervalMs,
    lastScanAt: status.scan?.at ?? null,
    notices,
  };
}
