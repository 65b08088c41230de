#!/usr/bin/python3
"""Freeze one thread of a running program, as a hang freezes it: the others go on.

    freeze.py PID [TID]     stops thread TID of process PID (default: its main thread,
                            the GUI thread of a Qt program) and holds it until the
                            process ends; prints "frozen TID" once it is stopped

A real hang (a deadlock, an endless loop) stops the GUI thread and leaves the rest of
the program running: Qt's X11 reader thread, D-Bus, speech. ``kill -STOP`` stops every
thread at once, which is not what a kiosk meets, and which makes the watchdog's abort
land on whichever thread wakes first when systemd sends SIGCONT, racing the exit that
follows the display server's death. ptrace(2) stops a single thread: PTRACE_SEIZE, then
PTRACE_INTERRUPT. The thread stays stopped while this program lives; SIGCONT does not
wake it, and a fatal signal to the process still ends every thread. Runs inside the
test VM as root (Debian's python3, no other package).
"""

import ctypes
import os
import signal
import sys
from pathlib import Path

PTRACE_CONT = 7
PTRACE_SEIZE = 0x4206
PTRACE_INTERRUPT = 0x4207
WALL = 0x40000000  # __WALL: wait for a thread that is not a child


def ptrace(request: int, tid: int, data: int = 0) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.ptrace.argtypes = [ctypes.c_long, ctypes.c_long, ctypes.c_void_p, ctypes.c_void_p]
    if libc.ptrace(request, tid, None, ctypes.c_void_p(data)) != 0:
        error = ctypes.get_errno()
        raise OSError(error, f"ptrace({request:#x}, {tid}): {os.strerror(error)}")


def main(argv: list[str]) -> int:
    pid = int(argv[0])
    tid = int(argv[1]) if len(argv) > 1 else pid
    if not Path(f"/proc/{pid}/task/{tid}").is_dir():
        print(f"freeze.py: no thread {tid} in process {pid}", file=sys.stderr)
        return 2
    ptrace(PTRACE_SEIZE, tid)
    ptrace(PTRACE_INTERRUPT, tid)
    os.waitpid(tid, WALL)  # the interrupt stop
    print(f"frozen {tid}", flush=True)
    # Hold it: a signal for this thread stops it again (a signal-delivery stop) and is
    # kept from it, so the thread never runs again; the wait ends when the process has
    # gone. Except SIGABRT, the watchdog's abort: a thread hung in the kernel (a
    # deadlock's futex wait) still runs its handler, so faulthandler writes the stack.
    # The kernel may hand the abort to this thread, the only one that does not block it
    # when the others are GLib's or libspeechd's, which block every signal.
    while True:
        try:
            _, status = os.waitpid(tid, WALL)
        except ChildProcessError:
            return 0
        if os.WIFEXITED(status) or os.WIFSIGNALED(status):
            return 0
        stop_signal = os.WSTOPSIG(status) if os.WIFSTOPPED(status) else 0
        if stop_signal == signal.SIGABRT and status >> 16 == 0:
            ptrace(PTRACE_CONT, tid, stop_signal)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
