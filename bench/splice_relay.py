#!/usr/bin/python3
"""The bare reference relay: stdin to stdout with splice(2) over 1 MiB pipes, nothing else.

It is what framepipe's data path reduces to once supervision, counting and progress are taken
away, so `cat file | splice_relay.py | ffmpeg ...` is the floor framepipe is compared with.
"""
import fcntl
import os

for fd in (0, 1):
    try:
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)
    except OSError:
        pass  # not a pipe, or over the per-user pipe quota: still correct, only slower

while os.splice(0, 1, 1 << 20) > 0:
    pass
