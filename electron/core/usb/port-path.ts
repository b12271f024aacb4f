import { z } from 'zod';

/**
 * Where a device sits on USB, as `usb` v3 reports it. Checked at the boundary: the native addon is
 * outside input, and a device whose location makes no sense is tracked by other means, not crashed on.
 */
const locationSchema = z.object({
  bus: z.string().regex(/^\d{1,3}$/),
  ports: z.array(z.number().int().min(1).max(255)).max(7),
  address: z.number().int().min(0).max(255),
});

export interface UsbLocation {
  /** The bus number (1 for "001"). */
  busNumber: number;
  ports: number[];
  address: number;
}

export function usbLocation(device: {
  bus?: unknown;
  ports?: unknown;
  address?: unknown;
}): UsbLocation | null {
  const parsed = locationSchema.safeParse({ bus: device.bus, ports: device.ports, address: device.address });
  if (!parsed.success) return null;
  return { busNumber: Number(parsed.data.bus), ports: parsed.data.ports, address: parsed.data.address };
}

/**
 * The port path Linux names devices by, and the one the license manager reports: bus 1, root port 4,
 * hub port 1 is "1-4.1". Null for a root hub (no ports), which is never a key.
 */
export function portPath(location: Pick<UsbLocation, 'busNumber' | 'ports'>): string | null {
  if (!location.ports.length) return null;
  return `${location.busNumber}-${location.ports.join('.')}`;
}

/** "1-4.1" → bus 1, ports [4, 1]; null when it is not a port path. */
export function parsePortPath(path: string): { busNumber: number; ports: number[] } | null {
  const match = /^(\d{1,3})-(\d{1,3}(?:\.\d{1,3}){0,6})$/.exec(path);
  if (!match) return null;
  const ports = match[2]!.split('.').map(Number);
  if (ports.some((p) => p < 1 || p > 255)) return null;
  return { busNumber: Number(match[1]), ports };
}

/** One spelling for one port ("001-04.1" → "1-4.1"), so the license manager's paths join USB's. */
export function canonicalPortPath(path: string): string {
  const parsed = parsePortPath(path);
  return parsed ? (portPath(parsed) ?? path) : path;
}
