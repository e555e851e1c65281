#!/usr/bin/python3
"""A stand-in for the framepipe program whose behaviour the unit tests script through the
environment. It reads the frames like the real one, writes them unchanged to OUTPUT (so a test
can compare bytes), a --stats-json document and --progress-fd records, and on request:

  FAKE_ARGV=FILE        write its argv, its and its parent's process group and session as JSON
  FAKE_EXIT=N           exit with status N after reading FAKE_AFTER bytes (default 0), saying
                        FAKE_MESSAGE (default "framepipe: error: fake failure") on stderr
  FAKE_KILL_SELF=N      kill itself with SIGKILL after reading N bytes
  FAKE_FLOOD=N          write N bytes to stderr before reading anything
  FAKE_WARN=TEXT        print "framepipe: warning: TEXT" before finishing
  FAKE_SLOW=SECONDS     sleep that long after each read, to make the reader the slow side
"""
import json
import os
import signal
import sys
import time


def option(argv, name):
    return argv[argv.index(name) + 1] if name in argv else None


def main():
    argv = sys.argv[1:]
    env = os.environ
    if env.get("FAKE_ARGV"):
        with open(env["FAKE_ARGV"], "w") as f:
            json.dump({"argv": argv, "pgid": os.getpgid(0), "parent_pgid": os.getpgid(os.getppid()),
                       "sid": os.getsid(0), "parent_sid": os.getsid(os.getppid()),
                       "env_columns": env.get("COLUMNS")}, f)
    output, stats_path = option(argv, "--output"), option(argv, "--stats-json")
    progress_fd = option(argv, "--progress-fd")
    w, h = map(int, option(argv, "--size").split("x"))
    bpp = {"gray": 1, "gray16le": 2, "rgb24": 3, "rgb48le": 6, "rgba64le": 8}.get(option(argv, "--pix-fmt"), 4)
    frame_bytes = w * h * bpp
    if env.get("FAKE_FLOOD"):
        sys.stderr.write("x" * int(env["FAKE_FLOOD"]) + "\n")
        sys.stderr.flush()
    stop_after = int(env["FAKE_AFTER"]) if "FAKE_EXIT" in env else int(env.get("FAKE_KILL_SELF", -1))
    data = bytearray()
    progress = os.fdopen(int(progress_fd), "w") if progress_fd else None
    while True:
        if 0 <= stop_after <= len(data):
            break
        chunk = os.read(0, 1 << 16)
        if not chunk:
            break
        data += chunk
        if env.get("FAKE_SLOW"):
            time.sleep(float(env["FAKE_SLOW"]))
        if progress:
            progress.write(json.dumps({"event": "progress", "frames_read": len(data) // frame_bytes}) + "\n")
            progress.flush()
    if "FAKE_KILL_SELF" in env:
        os.kill(os.getpid(), signal.SIGKILL)
    status = int(env.get("FAKE_EXIT", 0))
    frames = len(data) // frame_bytes
    stats = {"exit_reason": "ok" if status == 0 else "fake", "exit_status": status, "output": output,
             "frames_read": frames, "frames_encoded": frames, "output_bytes": len(data), "encoder": "fake264",
             "preset": option(argv, "--preset") or "fake-default"}
    with open(stats_path, "w") as f:
        json.dump(stats, f)
    if status != 0:
        sys.stderr.write(env.get("FAKE_MESSAGE", "framepipe: error: fake failure") + "\n")
        return status
    with open(output, "wb") as f:
        f.write(data)
    if progress:
        progress.write(json.dumps({"event": "end", "frames_read": frames}) + "\n")
    if env.get("FAKE_WARN"):
        sys.stderr.write(f"framepipe: warning: {env['FAKE_WARN']}\n")
    sys.stderr.write(f"framepipe: wrote {frames} frames to {output}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
