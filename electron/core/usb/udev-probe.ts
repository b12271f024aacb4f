import { existsSync } from 'node:fs';

/**
 * Whether the udev daemon (systemd-udevd or eudev) runs, by libudev's own test: its control socket.
 * usb v3 hears hot-plug only from udev's netlink messages, so on Linux without it no plug or unplug
 * ever arrives. Null where hot-plug does not depend on udev (Windows, macOS).
 */
export function udevDaemonRunning(
  platform: NodeJS.Platform = process.platform,
  exists: (path: string) => boolean = existsSync,
): boolean | null {
  if (platform !== 'linux') return null;
  return exists('/run/udev/control');
}
