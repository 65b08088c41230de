#!/bin/bash
# Turn a fresh Debian 12 machine into a clinic kiosk. Run as root; safe to run again
# (each step checks or overwrites, so a second run changes nothing, and a run with a
# new bundle updates /opt/kiosk). See docs/DEPLOY.md.
#
#   deploy/setup-kiosk.sh [--x11 | --cage] [--no-start] BUNDLE_DIR
#   deploy/setup-kiosk.sh --list-packages      the Debian packages it installs
#
# BUNDLE_DIR is the release's bundle (dist/kiosk, with the program "kiosk" in it).
# --x11       use the X11 fallback (kiosk-x11.service) instead of cage.
# --cage      use cage (kiosk.service), the default; needed only to leave the X11
#             fallback (a run without either keeps what this machine uses now).
# --no-start  install and enable, but do not (re)start the kiosk now.
# The program it replaces stays in /opt/kiosk.previous (run this with that folder to go
# back). In a chroot or an image build (systemd not running) it installs and enables
# everything; the kiosk starts at the machine's first boot.
# Exit status: 0 done (and the kiosk is on screen, if it was started); 1 nothing or
# only part was done (the message says what); 3 everything is installed, but the
# kiosk did not start (the message says where to look).
set -euo pipefail
trap 'echo "setup-kiosk: stopped: \"$BASH_COMMAND\" failed (line $LINENO); run it again once that is fixed" >&2; exit 1' ERR

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
user=kiosk
prefix=/opt/kiosk
libdir=/usr/local/lib/clinic-kiosk
unit=""
start=yes
# How long the first start may take before setup says it failed: the unit's own
# TimeoutStartSec (120 s) and a margin.
start_wait=150

die() {
    echo "setup-kiosk: $*" >&2
    exit 1
}
step() { echo "==> $*"; }

bundle=""
while [ "$#" -gt 0 ]; do
    case "$1" in
    --x11) unit=kiosk-x11.service ;;
    --cage) unit=kiosk.service ;;
    --no-start) start=no ;;
    --list-packages)
        "$here/package-list" "$here/packages-bundle.txt" "$here/packages-kiosk.txt"
        exit 0
        ;;
    -h | --help)
        sed -n '2,/^[^#]/{/^#/p}' "$0"
        exit 0
        ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) bundle=$1 ;;
    esac
    shift
done

[ "$(id -u)" -eq 0 ] || die "run it as root (su -, or sudo if this machine has it)"
[ -n "$bundle" ] || die "name the kiosk bundle folder, e.g.: $0 dist/kiosk"
[ -x "$bundle/kiosk" ] ||
    die "$bundle/kiosk: not found (give the dist/kiosk folder of an unpacked release)"
bundle=$(cd "$bundle" && pwd -P)
[ "$bundle" != "$prefix" ] || die "give the new bundle, not $prefix itself"
if [ -z "$unit" ]; then
    # Keep what this machine uses: an X11 kiosk stays on X11 when its program is updated.
    if systemctl -q is-enabled kiosk-x11.service 2>/dev/null; then
        unit=kiosk-x11.service
    else
        unit=kiosk.service
    fi
fi
command -v systemctl >/dev/null ||
    die "this system has no systemd (install Debian's systemd-sysv first)"
# systemd as PID 1 (a booted machine), or a chroot / image build where it is not running.
if [ -d /run/systemd/system ]; then booted=yes; else booted=no; fi
# Typed at the kiosk's own screen (tty1), which the kiosk takes over: starting it there
# would hang up this very shell, and this script with it.
on_tty1=no
if [ "$(ps -o tty= -p $$ | tr -d ' ')" = tty1 ]; then
    on_tty1=yes
fi

# --- Packages --------------------------------------------------------------------------
# What the kiosk needs at run time, and nothing only the tests need: the libraries the
# bundle loads, and the screen, input, sound and console of a kiosk machine.
mapfile -t packages < <("$here/package-list" "$here/packages-bundle.txt" "$here/packages-kiosk.txt") ||
    die "the package lists in $here are missing: copy the whole deploy/ folder"
[ "${#packages[@]}" -gt 0 ] || die "the package lists in $here are empty"
step "installing ${#packages[@]} Debian packages"
export DEBIAN_FRONTEND=noninteractive
# A failed update (no network) is not fatal: the install below says what it cannot get.
apt-get update -q || echo "    apt-get update failed; installing from what apt already knows"
apt-get install -y -q --no-install-recommends -- "${packages[@]}" ||
    die "apt-get could not install the packages above; check the network and apt's sources (/etc/apt/sources.list), then run this again"

# --- The kiosk user ----------------------------------------------------------------------
if id "$user" >/dev/null 2>&1; then
    step "user $user exists"
else
    step "creating user $user (no password, no login shell)"
    useradd --create-home --user-group --shell /usr/sbin/nologin \
        --comment "Clinic kiosk" "$user"
fi
# Only the kiosk user may open the seat (seatd's socket, see seatd-kiosk.conf), and read
# a headset socket (91-kiosk-headset.rules).
for group in kiosk-seat kiosk-headset; do
    getent group "$group" >/dev/null || groupadd --system "$group"
    usermod -a -G "$group" "$user"
done
home=$(getent passwd "$user" | cut -d: -f6)
# Its settings (the PIN's hash), logs and packs are nobody else's business.
chmod 0700 "$home"
# Read aloud settings, written by the kiosk user itself: root never writes into a home
# the kiosk user controls (a link planted there would make root write elsewhere).
step "read aloud settings: $home/.config/speech-dispatcher/speechd.conf (if it has none)"
# shellcheck disable=SC2016  # expanded by the kiosk user's shell
runuser -u "$user" -- sh -c 'umask 022; dir="$HOME/.config/speech-dispatcher"
    mkdir -p "$dir" && if [ ! -e "$dir/speechd.conf" ]; then cat >"$dir/speechd.conf"; fi' \
    <"$here/speechd.conf" ||
    echo "    could not write them (is a folder there a link?); read aloud uses its defaults"
# Speech mode's earcons: the kiosk writes them to ~/.local/share/clinic-kiosk/earcons, and
# speech-dispatcher's espeak-ng module plays them from the folder this file names
# (kiosk.core.speech.earcons; without it the kiosk plays none, and logs why).
step "earcons: $home/.config/speech-dispatcher/modules/espeak-ng.conf (if it has none)"
# shellcheck disable=SC2016  # expanded by the kiosk user's shell
runuser -u "$user" -- sh -c 'umask 022; dir="$HOME/.config/speech-dispatcher/modules"
    mkdir -p "$dir" && if [ ! -e "$dir/espeak-ng.conf" ]; then
        sed "s|@EARCONS@|$HOME/.local/share/clinic-kiosk/earcons|" >"$dir/espeak-ng.conf"; fi' \
    <"$here/espeak-ng.conf" ||
    echo "    could not write it (is a folder there a link?); speech mode plays no earcons"

# --- The bundle ----------------------------------------------------------------------------
# Run again with the same release (to switch to X11, or to put a setting back), the
# program is left as it is: byte for byte the same files need no copy and no smoke test
# (two to three minutes on a slow machine). Any difference, and it is copied and tried.
if [ -d "$prefix" ] && diff -rq --no-dereference "$bundle" "$prefix" >/dev/null 2>&1; then
    step "$prefix already holds this program (the same files as $bundle): not copied again"
    # Its owner and modes are put back all the same (cheap, and diff does not compare them).
    chown -R root:root "$prefix"
    chmod -R u=rwX,go=rX "$prefix"
else
    step "copying $bundle to $prefix"
    rm -rf "$prefix.new"
    mkdir "$prefix.new"
    cp -a "$bundle/." "$prefix.new/"
    chown -R root:root "$prefix.new"
    chmod -R u=rwX,go=rX "$prefix.new"
    # The new program must work here before it replaces the old one: its own smoke test
    # (every page in every language, an article's cards, a search, each setting; no screen
    # needed), as the kiosk user, with a throwaway home so that nothing of the kiosk's
    # settings or packs is touched. --quick: the libraries, plugins, fonts and speech of
    # this machine are what can differ from the release's own test of the whole content.
    trial=$(runuser -u "$user" -- mktemp -d)
    if ! runuser -u "$user" -- env HOME="$trial" XDG_RUNTIME_DIR="$trial" QT_QPA_PLATFORM=offscreen \
        "$prefix.new/kiosk" smoke-test --quick >"$trial.log" 2>&1; then
        tail -n 5 "$trial.log" >&2
        rm -rf "$trial" "$trial.log"
        die "the new program does not work on this machine (its smoke test failed, above); $prefix is unchanged"
    fi
    rm -rf "$trial" "$trial.log"
    if [ -e "$prefix" ]; then
        # The program being replaced, to go back to: setup-kiosk.sh /opt/kiosk.previous
        rm -rf "$prefix.previous"
        mv "$prefix" "$prefix.previous"
    fi
    mv "$prefix.new" "$prefix"
fi

# --- Seat, units, screen ------------------------------------------------------------------
step "installing systemd units and settings"
install -d "$libdir"
install -m 755 "$here/kiosk-xinitrc" "$here/kiosk-stopped-screen" "$libdir/"
install -m 644 "$here/matchbox-kbdconfig" "$libdir/"
install -d /etc/systemd/system/seatd.service.d
install -m 644 "$here/seatd-kiosk.conf" /etc/systemd/system/seatd.service.d/kiosk.conf
# `kiosk ...` (docs/ADMIN.md) typed by root runs as the kiosk user.
install -m 755 "$here/kiosk-command" /usr/local/bin/kiosk
install -d /etc/systemd/logind.conf.d
install -m 644 "$here/logind-kiosk.conf" /etc/systemd/logind.conf.d/kiosk.conf
install -m 644 "$here/kiosk.service" "$here/kiosk-x11.service" "$here/kiosk-failed@.service" \
    "$here/kiosk-fleet.service" "$here/kiosk-fleet.timer" \
    "$here/kiosk-health.service" "$here/kiosk-health.timer" /etc/systemd/system/
# A headset plugged in may start speech mode: the kiosk user reads the headphone socket.
install -m 644 "$here/91-kiosk-headset.rules" /etc/udev/rules.d/
if [ "$booted" = yes ]; then
    udevadm control --reload || true
    udevadm trigger --subsystem-match=input --action=change || true
fi
# Left by earlier versions of this setup: a login session (PAM), one failure unit.
rm -f /etc/pam.d/kiosk /etc/systemd/system/kiosk-failed.service
# The X11 fallback starts Xorg from the kiosk's console, as root through Xorg.wrap:
# there is no login session that could give a rootless X server the devices.
install -d /etc/X11
printf '%s\n' '# Written by clinic-kiosk setup-kiosk.sh: kiosk-x11.service starts X from tty1.' \
    'allowed_users=console' 'needs_root_rights=yes' >/etc/X11/Xwrapper.config

step "screen: no blanking, no sleep"
# The text console (the stop screen) never blanks: kernel option consoleblank=0.
if [ -d /etc/default/grub.d ] || [ -e /etc/default/grub ]; then
    install -d /etc/default/grub.d
    # shellcheck disable=SC2016  # expanded by grub-mkconfig, not here
    echo 'GRUB_CMDLINE_LINUX_DEFAULT="$GRUB_CMDLINE_LINUX_DEFAULT consoleblank=0"' \
        >/etc/default/grub.d/clinic-kiosk.cfg
    if command -v update-grub >/dev/null && [ "$booted" = yes ]; then
        update-grub
    fi
fi
# The machine never suspends (cage has no screen blanker; X11 is handled in kiosk-xinitrc).
systemctl mask sleep.target suspend.target hibernate.target hybrid-sleep.target

step "keyboard: no reboot on Ctrl+Alt+Del, no SysRq keys"
systemctl mask ctrl-alt-del.target
install -m 644 "$here/sysctl-kiosk.conf" /etc/sysctl.d/90-clinic-kiosk.conf
if [ "$booted" = yes ]; then
    sysctl -q -p /etc/sysctl.d/90-clinic-kiosk.conf
fi

step "enabling $unit (no display manager, no autologin)"
if systemctl -q is-enabled display-manager.service 2>/dev/null; then
    echo "    disabling the display manager: this machine is only a kiosk"
    systemctl disable display-manager.service
fi
if [ "$unit" = kiosk.service ]; then
    other=kiosk-x11.service
    # cage gets the screen and the touchscreen from seatd (see kiosk.service).
    systemctl enable seatd.service
else
    other=kiosk.service
fi
systemctl set-default graphical.target
systemctl disable "$other" 2>/dev/null || true
systemctl enable "$unit"
# New packs from a fleet repository, if kiosk.toml names one (docs/FLEET.md); a kiosk
# with none does nothing at each run.
systemctl enable kiosk-fleet.timer
# Its health for the clinic's monitoring, through node_exporter (docs/FLEET.md).
systemctl enable kiosk-health.timer

# What was written reaches the disk now: a power cut in the next minute must not leave
# empty unit files behind (a file's data can lag behind its name by half a minute).
sync
if [ "$booted" = no ]; then
    echo "systemd is not running here (a chroot or an image build): installed and enabled;"
    echo "the kiosk starts when this system boots. In an image with GRUB, run update-grub"
    echo "there (consoleblank=0 is in /etc/default/grub.d/clinic-kiosk.cfg)."
    exit 0
fi
if [ "$on_tty1" = yes ] && [ "$start" = yes ]; then
    echo "    this shell is on tty1, which the kiosk takes over: the kiosk starts at the next boot"
    start=no
fi
systemctl daemon-reload
# A "please ask staff" screen of either unit goes: the kiosk starts afresh.
systemctl stop 'kiosk-failed@*.service' 2>/dev/null || true
systemctl reset-failed kiosk.service kiosk-x11.service 'kiosk-failed@*.service' 2>/dev/null || true
systemctl start kiosk-fleet.timer kiosk-health.timer
if [ "$unit" = kiosk.service ] && [ "$start" = yes ]; then
    # seatd takes its group (kiosk-seat) when it starts: restart it, the kiosk stopped.
    systemctl stop kiosk.service
    systemctl restart seatd.service
elif [ "$unit" = kiosk.service ]; then
    systemctl start seatd.service
fi
if [ "$start" = no ]; then
    echo "Installed; the kiosk starts at the next boot (systemctl reboot)."
    exit 0
fi

step "starting $unit (waiting up to ${start_wait}s for the kiosk to say it is ready)"
# Stopped first, so that "active" below is the new program's, not the old one's.
systemctl stop "$other" "$unit" 2>/dev/null || true
systemctl start --no-block "$unit"
waited=0
state=$(systemctl show -P ActiveState "$unit")
while [ "$state" != active ] && [ "$waited" -lt "$start_wait" ]; do
    sleep 2
    waited=$((waited + 2))
    state=$(systemctl show -P ActiveState "$unit")
done
if [ "$state" = active ]; then
    echo "The kiosk is running ($unit is active after ${waited}s)."
    echo "Reboot once, so that the console and power-key settings apply too: systemctl reboot"
    exit 0
fi
echo >&2
echo "setup-kiosk: everything is installed, but the kiosk did not start: $unit is $state" \
    "after ${waited}s. Its last messages:" >&2
journalctl -u "$unit" -b --no-pager -n 15 -o cat >&2 || true
echo "setup-kiosk: see DEPLOY.md, sections 6 'Recovery' and 9 (a graphics card cage" \
    "cannot draw with); journalctl -u $unit -b shows the whole story." >&2
exit 3
