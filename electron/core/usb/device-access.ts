import { accessSync, constants } from 'node:fs';
import type { DeviceAccess } from './usb-watcher';

/**
 * Whether this user may open a key's USB device node, /dev/bus/usb/BBB/DDD: what the udev rule grants
 * (70-guardant.rules). Without it, anything reading the key as this user (the station, a license
 * manager in the operator's session) fails, whether or not sysfs gave its serial number. 'unknown'
 * where there is no such node to ask (not Linux, or no /dev/bus/usb as in a container).
 */
export function deviceNodeAccess(
  where: { busNumber: number; address: number },
  platform: NodeJS.Platform = process.platform,
): DeviceAccess {
  if (platform !== 'linux') return 'unknown';
  const pad = (n: number) => String(n).padStart(3, '0');
  try {
    accessSync(`/dev/bus/usb/${pad(where.busNumber)}/${pad(where.address)}`, constants.R_OK | constants.W_OK);
    return 'ok';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === 'EACCES' || code === 'EPERM' ? 'denied' : 'unknown';
  }
}
