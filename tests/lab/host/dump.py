# SPDX-License-Identifier: GPL-2.0
#
# dump.py MONITOR_SOCKET FILE: over the QEMU monitor (HMP), save the halted
# guest's memory with dump-guest-memory -z FILE, then quit QEMU. Each HMP
# command's output ends with the next "(qemu) " prompt.
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(120)
s.connect(sys.argv[1])
def prompt():
    buf = b""
    while not buf.endswith(b"(qemu) "):
        d = s.recv(4096)
        if not d:
            sys.exit("monitor closed")
        buf += d
    return buf.decode(errors="replace")
prompt()
s.sendall(b"dump-guest-memory -z " + sys.argv[2].encode() + b"\n")
prompt()
print("lab-dump: dump-guest-memory done")
s.sendall(b"quit\n")
