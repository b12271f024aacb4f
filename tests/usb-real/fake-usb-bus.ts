// The tests' side of fake_usb_bus.py: plug and unplug fake USB devices, switch the USB subsystem and
// the udev daemon's presence, and tell when a process's hot-plug listener is up.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import net from 'node:net';
import { GUARDANT_VENDOR_ID } from '../../shared/guardant/usb-ids';

/** Why this machine cannot run the real-USB tests, or null when it runs them (under fake_usb_bus.py). */
export function fakeUsbBusUnavailable(): string | null {
  if (process.env.FAKE_USB_BUS) return null;
  return (
    process.env.KEYBENCH_USB_REAL_SKIP ||
    'not running under tests/usb-real/fake_usb_bus.py (npm run test:usb)'
  );
}

export interface FakeDevice {
  /** "4.1": port 1 of the hub in root port 4. */
  port: string;
  bus?: number;
  vendorId: number;
  productId: number;
  /** Omitted or empty: the device has no serial in sysfs, and usb v3 must open it to read one. */
  serial?: string;
}

export const GUARDANT = GUARDANT_VENDOR_ID;
export const guardantSign = (port: string, serial?: string): FakeDevice => ({
  port,
  vendorId: GUARDANT,
  productId: 0x0008,
  serial,
});

export class FakeUsbBus {
  private conn: net.Socket | null = null;
  private buf = '';
  private readonly waiting: { resolve: (s: string) => void; reject: (e: Error) => void }[] = [];
  /** The kernel's next address per bus (1 is the root hub); never reused within a run. */
  private readonly nextAddress = new Map<number, number>();

  private connection(): net.Socket {
    if (this.conn) return this.conn;
    const path = process.env.FAKE_USB_BUS;
    if (!path) throw new Error('FAKE_USB_BUS is not set: run under tests/usb-real/fake_usb_bus.py');
    const conn = net.createConnection(path);
    conn.setEncoding('utf8');
    conn.on('data', (d: string) => {
      this.buf += d;
      let i: number;
      while ((i = this.buf.indexOf('\n')) >= 0) {
        const line = this.buf.slice(0, i);
        this.buf = this.buf.slice(i + 1);
        const w = this.waiting.shift();
        if (!w) continue;
        if (line.startsWith('ok')) w.resolve(line.slice(3));
        else w.reject(new Error(line));
      }
    });
    conn.on('error', (error) => {
      for (const w of this.waiting.splice(0)) w.reject(error);
    });
    this.conn = conn;
    return conn;
  }

  private request(line: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.connection().write(line + '\n');
    });
  }

  private spec(d: FakeDevice): string {
    const bus = d.bus ?? 1;
    const address = this.nextAddress.get(bus) ?? 2;
    // 127 addresses per bus; a long run wraps like the kernel does (tests never hold that many at once).
    this.nextAddress.set(bus, address >= 127 ? 2 : address + 1);
    const hex = (n: number) => n.toString(16).padStart(4, '0');
    return `${bus}:${address}:${d.port}:${hex(d.vendorId)}:${hex(d.productId)}:${d.serial ?? ''}`;
  }

  /** Plugs the devices at once (all written, then all announced, as a hub enumerates); their port names. */
  async plug(...devices: FakeDevice[]): Promise<string[]> {
    return (await this.request(`add ${devices.map((d) => this.spec(d)).join(' ')}`)).split(' ');
  }

  /** Plugs with no udev message: what a host without the udev daemon sees. */
  async plugSilently(...devices: FakeDevice[]): Promise<string[]> {
    return (await this.request(`add-silent ${devices.map((d) => this.spec(d)).join(' ')}`)).split(' ');
  }

  /** Unplugs "BUS-PORT", e.g. "1-4.1". */
  async unplug(name: string): Promise<void> {
    await this.request(`remove ${name}`);
  }

  async unplugSilently(name: string): Promise<void> {
    await this.request(`remove-silent ${name}`);
  }

  async plugged(): Promise<string[]> {
    return (await this.request('list')).split(' ').filter(Boolean);
  }

  /** Unplugs everything without telling anyone: a clean bus for the next test. */
  async clear(): Promise<void> {
    for (const name of await this.plugged()) await this.unplugSilently(name);
  }

  /** Hides /sys/bus/usb ('off'): a host without a USB subsystem. */
  async subsystem(state: 'on' | 'off'): Promise<void> {
    await this.request(`subsystem ${state}`);
  }

  /** Creates or deletes /run/udev/control (private to this run): whether udev seems to run. */
  async udev(state: 'on' | 'off'): Promise<void> {
    await this.request(`udev ${state}`);
  }

  close(): void {
    this.conn?.end();
    this.conn = null;
  }
}

/**
 * True once process `pid` listens for udev's hot-plug messages (a NETLINK_KOBJECT_UEVENT socket bound
 * to multicast group 2): usb v3 starts that listener asynchronously after the first addEventListener,
 * and a device plugged before it is up is only seen by the next scan.
 */
export function udevListenerUp(pid: number): boolean {
  let inodes: Set<string>;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
        try {
          const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
          return match ? [match[1]!] : [];
        } catch {
          return []; // closed meanwhile
        }
      }),
    );
  } catch {
    return false; // the process is gone
  }
  return readFileSync('/proc/net/netlink', 'utf8')
    .split('\n')
    .some((line) => {
      // sk Eth Pid Groups Rmem Wmem Dump Locks Drops Inode
      const f = line.trim().split(/\s+/);
      return f[1] === '15' && f[3] === '00000002' && inodes.has(f[9] ?? '');
    });
}
