#!/bin/bash
# Keybench deb post-install. electron-builder substitutes its two macros (the executable's name and
# the sanitized product name, written dollar-brace-name below) and fails the build on any other
# dollar-brace name: shell variables here are written $NAME, without braces.
#
# A custom afterInstall replaces electron-builder's own, so its steps come first (the /usr/bin link,
# the chrome-sandbox mode, desktop databases, the AppArmor profile); then the udev rules that let the
# operator's session open Guardant keys without root.

APP_DIR='/opt/${sanitizedProductName}'

# --- electron-builder's steps -------------------------------------------------------------------
if type update-alternatives >/dev/null 2>&1; then
    if [ -L '/usr/bin/${executable}' -a -e '/usr/bin/${executable}' -a "`readlink '/usr/bin/${executable}'`" != '/etc/alternatives/${executable}' ]; then
        rm -f '/usr/bin/${executable}'
    fi
    update-alternatives --install '/usr/bin/${executable}' '${executable}' "$APP_DIR/${executable}" 100 || ln -sf "$APP_DIR/${executable}" '/usr/bin/${executable}'
else
    ln -sf "$APP_DIR/${executable}" '/usr/bin/${executable}'
fi

# The SUID sandbox helper only where the kernel has no usable user namespaces.
if ! { [[ -L /proc/self/ns/user ]] && unshare --user true; }; then
    chmod 4755 "$APP_DIR/chrome-sandbox" || true
else
    chmod 0755 "$APP_DIR/chrome-sandbox" || true
fi

if hash update-mime-database 2>/dev/null; then
    update-mime-database /usr/share/mime || true
fi
if hash update-desktop-database 2>/dev/null; then
    update-desktop-database /usr/share/applications || true
fi

# AppArmor profile (Ubuntu 24.04+ restricts unprivileged user namespaces without one).
if apparmor_status --enabled > /dev/null 2>&1; then
  APPARMOR_PROFILE_SOURCE="$APP_DIR/resources/apparmor-profile"
  APPARMOR_PROFILE_TARGET='/etc/apparmor.d/${executable}'
  if apparmor_parser --skip-kernel-load --debug "$APPARMOR_PROFILE_SOURCE" > /dev/null 2>&1; then
    cp -f "$APPARMOR_PROFILE_SOURCE" "$APPARMOR_PROFILE_TARGET"
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --replace --write-cache --skip-read-cache "$APPARMOR_PROFILE_TARGET"
    fi
  else
    echo "Skipping the AppArmor profile: this AppArmor does not support it"
  fi
fi

# --- Guardant keys: udev rules --------------------------------------------------------------------
RULES_SOURCE="$APP_DIR/resources/udev/70-guardant.rules"
RULES_TARGET='/etc/udev/rules.d/70-guardant.rules'
if [ -f "$RULES_SOURCE" ]; then
    install -m 0644 "$RULES_SOURCE" "$RULES_TARGET"
    # Not inside a chroot or an image build without a running udev: the rules apply at next boot.
    if hash udevadm 2>/dev/null && [ -d /run/udev ]; then
        udevadm control --reload-rules || true
        # Keys already plugged in get the new permissions now, not at the next replug.
        udevadm trigger --subsystem-match=usb --attr-match=idVendor=0a89 || true
        udevadm trigger --subsystem-match=hidraw || true
    fi
fi

exit 0
