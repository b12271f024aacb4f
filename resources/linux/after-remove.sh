#!/bin/bash
# Keybench deb post-remove: electron-builder's own steps (a custom afterRemove replaces them), then
# the udev rules go, except on an upgrade ($1 is "upgrade" for dpkg, 1 for rpm), where the new
# version's post-install puts them back.

if type update-alternatives >/dev/null 2>&1; then
    update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/${executable}'
else
    rm -f '/usr/bin/${executable}'
fi

APPARMOR_PROFILE_DEST='/etc/apparmor.d/${executable}'
if [ -f "$APPARMOR_PROFILE_DEST" ]; then
  if apparmor_status --enabled > /dev/null 2>&1; then
    if ! { [ -x '/usr/bin/ischroot' ] && /usr/bin/ischroot; } && hash apparmor_parser 2>/dev/null; then
      apparmor_parser --remove "$APPARMOR_PROFILE_DEST" || true
    fi
  fi
  rm -f "$APPARMOR_PROFILE_DEST"
fi

case "$1" in
  upgrade|1) ;;
  *)
    rm -f /etc/udev/rules.d/70-guardant.rules
    if hash udevadm 2>/dev/null && [ -d /run/udev ]; then
        udevadm control --reload-rules || true
    fi
    ;;
esac

exit 0
