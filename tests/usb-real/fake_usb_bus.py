#!/usr/bin/python3
"""A fake USB bus for the real `usb` package (v3): run COMMAND against it and plug/unplug from a test.

    fake_usb_bus.py -- COMMAND [ARGS...]

How (see ../../README.md, "Real-USB tests"): an umockdev testbed holds the fake sysfs tree; in private
mount and network namespaces it is bind-mounted over /sys for COMMAND and its children, and each
plug/unplug is announced as udev announces it (a netlink message to multicast group 2, the one usb v3
listens to). The namespaces keep all of it away from the rest of the machine. Needs root.

COMMAND finds the control socket in $FAKE_USB_BUS and speaks one line per request:
    add SPEC...       plug (SPEC: BUS:DEVNUM:PORT:VID:PID[:SERIAL[:PRODUCT]], see usb_sysfs.py);
                      several at once are all written, then all announced: a hub plugged in
    add-silent SPEC   plug without any udev message: a host whose udev daemon does not run
    remove NAME       unplug "BUS-PORT", e.g. 1-4.1
    remove-silent NAME
    subsystem off|on  hide or restore /sys/bus/usb: a host without a USB subsystem
    udev on|off       create or delete /run/udev/control: what tells a program udev runs
    list              the plugged ports
Each answer is "ok [detail]" or "error <what>". Exit status: COMMAND's.
"""
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))

if os.environ.get("FAKE_USB_BUS_NS") != "1":
    # Re-execute in fresh mount and network namespaces: the bind mount over /sys and the fake udev
    # messages stay inside them. `lo` up so the tests' loopback servers work.
    os.environ["FAKE_USB_BUS_NS"] = "1"
    script = 'ip link set lo up && exec "$@"'
    argv = ["unshare", "--net", "--mount", "--propagation", "private", "sh", "-c", script, "sh",
            sys.executable] + sys.argv
    os.execvp(argv[0], argv)

import gi  # noqa: E402

gi.require_version("UMockdev", "1.0")
from gi.repository import UMockdev  # noqa: E402

sys.path.insert(0, HERE)
from usb_sysfs import ROOT_HUB, device as device_text, parse as parse_spec, root_hub  # noqa: E402

NETLINK_KOBJECT_UEVENT = 15
UDEV_GROUP = 2


def murmur2(data: bytes, seed: int = 0) -> int:
    """libudev's string hash (MurmurHash2), for the header's subsystem/devtype filter fields."""
    m, r = 0x5BD1E995, 24
    h = (seed ^ len(data)) & 0xFFFFFFFF
    i = 0
    while len(data) - i >= 4:
        k = struct.unpack_from("<I", data, i)[0]
        k = (k * m) & 0xFFFFFFFF
        k ^= k >> r
        k = (k * m) & 0xFFFFFFFF
        h = ((h * m) & 0xFFFFFFFF) ^ k
        i += 4
    rest = data[i:]
    if len(rest) == 3:
        h ^= rest[2] << 16
    if len(rest) >= 2:
        h ^= rest[1] << 8
    if len(rest) >= 1:
        h ^= rest[0]
        h = (h * m) & 0xFFFFFFFF
    h ^= h >> 13
    h = (h * m) & 0xFFFFFFFF
    h ^= h >> 15
    return h


def udev_message(props: dict) -> bytes:
    """A message as systemd-udevd multicasts it (struct udev_monitor_netlink_header + KEY=VALUE\\0...)."""
    body = b"".join(f"{k}={v}".encode() + b"\0" for k, v in props.items())
    size = 40
    header = (b"libudev\0" + struct.pack(">I", 0xFEEDCAFE)
              + struct.pack("=IIII", size, size, len(body),
                            socket.htonl(murmur2(props.get("SUBSYSTEM", "").encode())))
              + struct.pack("=III", socket.htonl(murmur2(props["DEVTYPE"].encode())) if "DEVTYPE" in props else 0,
                            0, 0))
    assert len(header) == size
    return header + body


def blocks(text: str):
    """[(syspath, {E: props})] of an umockdev description, in its order."""
    out = []
    for block in text.strip().split("\n\n"):
        lines = block.splitlines()
        props = dict(ln[3:].split("=", 1) for ln in lines if ln.startswith("E: "))
        out.append(("/sys" + lines[0][3:], props))
    return out


class Bus:
    def __init__(self):
        # The netlink socket first: umockdev's preload (if anyone loads it) would swap later ones.
        self.nl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_KOBJECT_UEVENT)
        self.nl.bind((0, 0))
        self.tb = UMockdev.Testbed.new()
        self.root = self.tb.get_root_dir()
        self.lock = threading.Lock()
        self.seqnum = 1000
        self.devices = {}  # "1-4.1" -> [(syspath, props)]
        self.hubs = set()
        # A machine with a USB controller always has its root hub, and so /sys/bus/usb/devices.
        self._hub(1)

    def _hub(self, bus):
        if bus not in self.hubs:
            self.tb.add_from_string(root_hub(bus))
            self.hubs.add(bus)

    def _announce(self, action, syspath, props):
        self.seqnum += 1
        full = {"ACTION": action, "DEVPATH": syspath[len("/sys"):], **props, "SEQNUM": str(self.seqnum)}
        self.nl.sendto(udev_message(full), (0, UDEV_GROUP))

    def add(self, specs, silent=False):
        parsed = [parse_spec(spec) for spec in specs]
        with self.lock:
            names, devnames = set(self.devices), {d[0][1].get("DEVNAME") for d in self.devices.values()}
            for bus, devnum, port, *_ in parsed:
                # umockdev aborts the whole process on a path added twice: refuse before adding
                name, devname = f"{bus}-{port}", f"/dev/bus/usb/{bus:03d}/{devnum:03d}"
                if name in names:
                    raise ValueError(f"{name} already plugged")
                if devname in devnames:
                    raise ValueError(f"address {devnum} already used on bus {bus}")
                names.add(name)
                devnames.add(devname)
            added = []
            for bus, devnum, port, vid, pid, serial, product in parsed:
                self._hub(bus)
                text = device_text(bus, devnum, port, vid, pid, serial, product)
                self.tb.add_from_string(text)
                self.devices[f"{bus}-{port}"] = blocks(text)
                added.append(f"{bus}-{port}")
            if not silent:
                for name in added:
                    for syspath, props in self.devices[name]:  # the device, then its interface
                        self._announce("add", syspath, props)
            return " ".join(added)

    def remove(self, name, silent=False):
        with self.lock:
            if name not in self.devices:
                raise ValueError(f"nothing plugged in {name}")
            for syspath, props in reversed(self.devices.pop(name)):  # interfaces first; sysfs goes first
                self.tb.remove_device(syspath)
                if not silent:
                    self._announce("remove", syspath, props)

    def subsystem(self, state):
        usb, hidden = os.path.join(self.root, "sys/bus/usb"), os.path.join(self.root, "sys/bus/.usb-hidden")
        with self.lock:
            if state == "off" and os.path.exists(usb):
                os.rename(usb, hidden)
            elif state == "on" and os.path.exists(hidden):
                os.rename(hidden, usb)
            elif state not in ("on", "off"):
                raise ValueError("subsystem on|off")

    @staticmethod
    def udev(state):
        control = "/run/udev/control"  # on the tmpfs mounted in main(): private to this run
        if state == "on":
            open(control, "w").close()
        elif state == "off":
            if os.path.exists(control):
                os.remove(control)
        else:
            raise ValueError("udev on|off")

    def handle(self, line):
        cmd, _, arg = line.strip().partition(" ")
        if cmd == "add":
            return "ok " + self.add(arg.split())
        if cmd == "add-silent":
            return "ok " + self.add(arg.split(), silent=True)
        if cmd == "remove":
            self.remove(arg)
            return "ok"
        if cmd == "remove-silent":
            self.remove(arg, silent=True)
            return "ok"
        if cmd == "subsystem":
            self.subsystem(arg)
            return "ok"
        if cmd == "udev":
            self.udev(arg)
            return "ok"
        if cmd == "list":
            return "ok " + " ".join(sorted(self.devices))
        return "error unknown command " + cmd

    def serve(self, path):
        srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        srv.bind(path)
        srv.listen(8)
        threading.Thread(target=self._accept, args=(srv,), daemon=True).start()

    def _accept(self, srv):
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=self._client, args=(conn,), daemon=True).start()

    def _client(self, conn):
        f = conn.makefile("rw", buffering=1)
        for line in f:
            try:
                reply = self.handle(line)
            except Exception as e:  # report, keep serving
                reply = f"error {type(e).__name__}: {e}"
            f.write(reply + "\n")
            f.flush()


def private_run_udev():
    """A tmpfs for /run/udev seen only in this run, so `udev on|off` never touches the machine's."""
    if os.path.isdir("/run/udev"):
        subprocess.check_call(["mount", "-t", "tmpfs", "tmpfs", "/run/udev"])
    else:
        # No udev dir on this machine: a private /run instead of creating one in the real /run.
        subprocess.check_call(["mount", "-t", "tmpfs", "tmpfs", "/run"])
        os.mkdir("/run/udev")


def main():
    argv = sys.argv[1:]
    if "--" not in argv:
        sys.exit(__doc__)
    cmd = argv[argv.index("--") + 1:]
    bus = Bus()
    private_run_udev()
    Bus.udev("on")
    ctl_dir = tempfile.mkdtemp(prefix="fake-usb-bus.")
    sock = os.path.join(ctl_dir, "ctl.sock")
    bus.serve(sock)
    # The testbed's sys/ over /sys: usb v3 reads sysfs with raw system calls, which no preload sees.
    subprocess.check_call(["mount", "--bind", os.path.join(bus.root, "sys"), "/sys"])
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "UMOCKDEV_DIR", "FAKE_USB_BUS_NS")}
    env["FAKE_USB_BUS"] = sock

    def stop(signum, _frame):
        # Killed (a CI timeout, Ctrl-C): subprocess.call kills COMMAND on the way out, and the
        # finally below still removes the testbed and the socket from /tmp.
        raise SystemExit(128 + signum)

    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
        signal.signal(signum, stop)
    try:
        rc = subprocess.call(cmd, env=env)
    finally:
        # The testbed's own finalizer does not reliably run at interpreter exit.
        shutil.rmtree(bus.root, ignore_errors=True)
        shutil.rmtree(ctl_dir, ignore_errors=True)
    sys.exit(rc)


if __name__ == "__main__":
    main()
