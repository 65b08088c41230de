#!/bin/bash
# Turn a fresh Debian 12 machine into a clinic kiosk. Run as root; safe to run again
# (each step checks or overwrites, so a second run changes nothing, and a run with a
# new bundle updates /opt/kiosk). See docs/DEPLOY.md.
#
#   sudo deploy/setup-kiosk.sh [--x11] [--no-start] BUNDLE_DIR
#
# BUNDLE_DIR is the PyInstaller bundle (dist/kiosk, with the executable "kiosk" in it).
# --x11       use the X11 fallback (kiosk-x11.service) instead of cage.
# --no-start  install and enable, but do not (re)start the kiosk now.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
user=kiosk
prefix=/opt/kiosk
libdir=/usr/local/lib/clinic-kiosk
unit=kiosk.service
start=yes

die() {
    echo "setup-kiosk: $*" >&2
    exit 1
}
step() { echo "==> $*"; }

bundle=""
while [ "$#" -gt 0 ]; do
    case "$1" in
    --x11) unit=kiosk-x11.service ;;
    --no-start) start=no ;;
    -h | --help)
        sed -n '2,11p' "$0"
        exit 0
        ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) bundle=$1 ;;
    esac
    shift
done

[ "$(id -u)" -eq 0 ] || die "run it as root: sudo $0 $*"
[ -n "$bundle" ] || die "name the kiosk bundle folder, e.g.: sudo $0 dist/kiosk"
[ -x "$bundle/kiosk" ] || die "$bundle/kiosk: not found or not executable (build the bundle first)"
bundle=$(cd "$bundle" && pwd)
[ "$bundle" != "$prefix" ] || die "give the new bundle, not $prefix itself"

# --- Packages --------------------------------------------------------------------------
# What the kiosk needs at run time: the runtime part of scripts/system-packages.txt
# (Qt's libraries, fonts, speech), without what only the tests and development need.
dev_only='^(python3|python3-venv|xvfb|xdotool|wmctrl|x11-utils|imagemagick|at-spi2-core|python3-pyatspi)$'
packages=(
    # Wayland: cage, Qt's wayland platform (libwayland-cursor0 is not pulled in by
    # anything else, and without it Qt cannot load "wayland"), Xwayland for the fallback.
    cage xwayland libwayland-client0 libwayland-cursor0 libwayland-egl1
    # X11 fallback: an X server with libinput, xinit, matchbox, xset, xinput.
    xserver-xorg-core xserver-xorg-input-libinput xinit matchbox-window-manager
    x11-xserver-utils xinput
    # Diagnostics (libinput list-devices) and the large console font of the stop screen.
    libinput-tools kbd console-setup-linux
    # Sound for read aloud.
    alsa-utils
)
list="$here/../scripts/system-packages.txt"
if [ -r "$list" ]; then
    while read -r name; do
        packages+=("$name")
    done < <(grep -Ev '^[[:space:]]*(#|$)' "$list" | grep -Ev "$dev_only")
else
    # Run from a copy of deploy/ alone: the same runtime list, written out.
    packages+=(libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
        libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xkb1
        libxkbcommon-x11-0 libxkbcommon0 libegl1 libgl1 libfontconfig1 libdbus-1-3
        libglib2.0-0 fonts-dejavu-core libpulse0 speech-dispatcher espeak-ng
        speech-dispatcher-espeak-ng dbus matchbox-window-manager)
fi
step "installing ${#packages[@]} Debian packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${packages[@]}"

# --- The kiosk user ----------------------------------------------------------------------
if id "$user" >/dev/null 2>&1; then
    step "user $user exists"
else
    step "creating user $user (no password, no login shell)"
    useradd --create-home --user-group --shell /usr/sbin/nologin \
        --comment "Clinic kiosk" "$user"
fi
# DRM, GPU and sound; logind grants the same to the active seat session, these are a
# fallback. Not "input": the kiosk gets the touchscreen through logind.
usermod -a -G video,render,audio "$user"
home=$(getent passwd "$user" | cut -d: -f6)
speechd_conf="$home/.config/speech-dispatcher/speechd.conf"
if [ ! -e "$speechd_conf" ]; then
    step "read aloud settings: $speechd_conf"
    install -d -o "$user" -g "$user" "$home/.config" "$home/.config/speech-dispatcher"
    install -m 644 -o "$user" -g "$user" "$here/speechd.conf" "$speechd_conf"
fi

# --- The bundle ----------------------------------------------------------------------------
step "copying $bundle to $prefix"
rm -rf "$prefix.new" "$prefix.old"
cp -a "$bundle" "$prefix.new"
chown -R root:root "$prefix.new"
chmod -R u=rwX,go=rX "$prefix.new"
if [ -e "$prefix" ]; then
    mv "$prefix" "$prefix.old"
fi
mv "$prefix.new" "$prefix"
rm -rf "$prefix.old"
"$prefix/kiosk" --help >/dev/null || die "$prefix/kiosk does not run on this machine"

# --- Session, units, screen ------------------------------------------------------------------
step "installing systemd units and session files"
install -d "$libdir"
install -m 755 "$here/kiosk-xinitrc" "$here/kiosk-stopped-screen" "$libdir/"
install -m 644 "$here/pam-kiosk" /etc/pam.d/kiosk
install -d /etc/systemd/logind.conf.d
install -m 644 "$here/logind-kiosk.conf" /etc/systemd/logind.conf.d/kiosk.conf
install -m 644 "$here/kiosk.service" "$here/kiosk-x11.service" "$here/kiosk-failed.service" \
    /etc/systemd/system/
# Rootless Xorg for the X11 fallback (started from the kiosk's console session).
if [ ! -e /etc/X11/Xwrapper.config ] || ! grep -q '^needs_root_rights' /etc/X11/Xwrapper.config; then
    install -d /etc/X11
    printf 'allowed_users=console\nneeds_root_rights=auto\n' >/etc/X11/Xwrapper.config
fi

step "screen: no blanking, no sleep"
# The text console (the stop screen) never blanks: kernel option consoleblank=0.
if [ -d /etc/default/grub.d ] || [ -e /etc/default/grub ]; then
    install -d /etc/default/grub.d
    # shellcheck disable=SC2016  # expanded by grub-mkconfig, not here
    echo 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT consoleblank=0"' \
        >/etc/default/grub.d/clinic-kiosk.cfg
    if command -v update-grub >/dev/null; then
        update-grub
    fi
fi
# The machine never suspends (cage has no screen blanker; X11 is handled in kiosk-xinitrc).
systemctl mask sleep.target suspend.target hibernate.target hybrid-sleep.target

step "enabling $unit (no display manager, no autologin)"
if systemctl -q is-enabled display-manager.service 2>/dev/null; then
    echo "    disabling the display manager: this machine is only a kiosk"
    systemctl disable display-manager.service
fi
systemctl daemon-reload
systemctl set-default graphical.target
if [ "$unit" = kiosk.service ]; then
    other=kiosk-x11.service
else
    other=kiosk.service
fi
systemctl disable "$other" 2>/dev/null || true
systemctl enable "$unit"
systemctl reset-failed kiosk.service kiosk-x11.service kiosk-failed.service 2>/dev/null || true

if [ "$start" = yes ]; then
    step "starting $unit"
    systemctl restart "$unit"
    echo "Check it with: systemctl status $unit   and   journalctl -u $unit"
    echo "Reboot once, so that the console and power-key settings apply too."
else
    echo "Installed; the kiosk starts at the next boot (or: systemctl start $unit)."
fi
