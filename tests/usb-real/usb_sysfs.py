"""USB devices as umockdev describes them (its text format: sysfs attributes plus the binary
`descriptors`), for fake_usb_bus.py. Adapted from the usb-lab reference; only what the tests need.

A device spec is BUS:DEVNUM:PORT:VID:PID[:SERIAL[:PRODUCT]], e.g. 1:2:4.1:0a89:0008:GS0001 is a
Guardant Sign key with serial GS0001 at address 2 in port 1 of the hub in root port 4 of bus 1. An
empty SERIAL gives a device without a `serial` attribute: usb v3 then opens the device to read it.
"""

ROOT_HUB = "/devices/pci0000:00/0000:00:14.0/usb{bus}"


def device_descriptor(vid, pid, bcd_device=0x0100, cls=0, mps0=8, iman=1, iprod=2, iser=3):
    return bytes([18, 1, 0x00, 0x02, cls, 0, 0, mps0,
                  vid & 0xff, vid >> 8, pid & 0xff, pid >> 8,
                  bcd_device & 0xff, bcd_device >> 8, iman, iprod, iser, 1])


def config_descriptor(iface_class=0xff):
    iface = bytes([9, 4, 0, 0, 1, iface_class, 0, 0, 0])
    ep = bytes([7, 5, 0x81, 3, 8, 0, 10])  # interrupt IN, 8 bytes, 10 ms
    total = 9 + len(iface) + len(ep)
    return bytes([9, 2, total & 0xff, total >> 8, 1, 1, 0, 0x80, 50]) + iface + ep


def with_newlines(text):
    """Real sysfs attributes end in a newline; umockdev's text format takes a \\n escape in A: values."""
    return "\n".join(ln + "\\n" if ln.startswith("A: ") else ln for ln in text.split("\n"))


def root_hub(bus):
    desc = device_descriptor(0x1d6b, 0x0002, 0x0606, cls=9, mps0=64, iser=1) + config_descriptor(9)
    return with_newlines(f"""P: {ROOT_HUB.format(bus=bus)}
N: bus/usb/{bus:03d}/001
E: BUSNUM={bus:03d}
E: DEVNAME=/dev/bus/usb/{bus:03d}/001
E: DEVNUM=001
E: DEVTYPE=usb_device
E: DRIVER=usb
E: PRODUCT=1d6b/2/606
E: SUBSYSTEM=usb
A: bConfigurationValue=1
A: bDeviceClass=09
A: bDeviceProtocol=00
A: bDeviceSubClass=00
A: bcdDevice=0606
A: busnum={bus}
A: devnum=1
A: devpath=0
A: idProduct=0002
A: idVendor=1d6b
A: manufacturer=Linux xhci-hcd
A: product=xHCI Host Controller
A: serial=0000:00:{13 + bus:02x}.0
A: speed=480
A: version= 2.00
H: descriptors={desc.hex().upper()}
""")


def device(bus, devnum, port, vid, pid, serial=None, product=None):
    """The device and its one interface, device first (the order the kernel announces them)."""
    desc = device_descriptor(vid, pid) + config_descriptor()
    name = f"{bus}-{port}"
    path = f"{ROOT_HUB.format(bus=bus)}/{name}"
    out = f"""P: {path}
N: bus/usb/{bus:03d}/{devnum:03d}={desc.hex().upper()}
E: BUSNUM={bus:03d}
E: DEVNAME=/dev/bus/usb/{bus:03d}/{devnum:03d}
E: DEVNUM={devnum:03d}
E: DEVTYPE=usb_device
E: DRIVER=usb
E: PRODUCT={vid:x}/{pid:x}/100
E: SUBSYSTEM=usb
E: TYPE=0/0/0
A: bConfigurationValue=1
A: bDeviceClass=00
A: bDeviceProtocol=00
A: bDeviceSubClass=00
A: bMaxPacketSize0=8
A: bNumConfigurations=1
A: bNumInterfaces= 1
A: bcdDevice=0100
A: busnum={bus}
A: devnum={devnum}
A: devpath={port}
A: idProduct={pid:04x}
A: idVendor={vid:04x}
A: manufacturer=Test
A: product={product or f'USB device {vid:04x}:{pid:04x}'}
"""
    if serial:
        out += f"A: serial={serial}\n"
    out += f"""A: speed=12
A: version= 2.00
H: descriptors={desc.hex().upper()}

P: {path}/{name}:1.0
E: DEVTYPE=usb_interface
E: INTERFACE=255/0/0
E: PRODUCT={vid:x}/{pid:x}/100
E: SUBSYSTEM=usb
A: bAlternateSetting= 0
A: bInterfaceClass=ff
A: bInterfaceNumber=00
A: bInterfaceProtocol=00
A: bInterfaceSubClass=00
A: bNumEndpoints=01
"""
    return with_newlines(out)


def parse(spec):
    f = spec.split(":")
    if len(f) < 5:
        raise ValueError(f"not BUS:DEVNUM:PORT:VID:PID[:SERIAL[:PRODUCT]]: {spec}")
    bus, devnum, port = int(f[0]), int(f[1]), f[2]
    if not all(p.isdigit() for p in port.split(".")):
        raise ValueError(f"port {port} is not like 4 or 4.1")
    vid, pid = int(f[3], 16), int(f[4], 16)
    serial = f[5] if len(f) > 5 and f[5] else None
    product = ":".join(f[6:]) if len(f) > 6 else None
    return bus, devnum, port, vid, pid, serial, product
