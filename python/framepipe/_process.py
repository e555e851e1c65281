"""One run of the framepipe program: its stdin takes the frames, its stderr and progress records
are read by threads (so it never blocks on them), and it is always waited for.

The program runs in a session of its own, so a Ctrl-C at the terminal reaches only Python: the
Writer then finishes the frame it was writing, closes the input, and the program writes a complete
video of the frames so far instead of racing Python to react to the same signal.
"""
import json
import os
import queue
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

# The most of the program's stderr kept: its error and ffmpeg's last lines come at the end.
_STDERR_KEEP = 1 << 20
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# Bigger pipe buffers mean fewer wake-ups per frame; Linux grants up to /proc/sys/fs/pipe-max-size.
_PIPE_SIZE = 1 << 20
_F_SETPIPE_SZ = 1031
_POLL_MS = 100
_STALLED_SECONDS = 3.0


class CliProcess:
    def __init__(self, argv, progress=None, bar=False):
        self._tmpdir = tempfile.mkdtemp(prefix="framepipe-py-")
        self._stats_path = os.path.join(self._tmpdir, "stats.json")
        argv = [*argv[:1], "--stats-json", self._stats_path, *argv[1:]]
        env, pass_fds, progress_read = None, (), None
        if progress is not None:
            progress_read, progress_write = os.pipe()
            argv[1:1] = ["--progress-fd", str(progress_write)]
            pass_fds = (progress_write,)
        elif bar:
            argv[1:1] = ["--progress", "bar"]
            env = dict(os.environ, COLUMNS=str(shutil.get_terminal_size().columns))
        self._records = queue.SimpleQueue()
        self._callback = progress
        self._stderr = bytearray()
        self.argv = argv
        try:
            self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                          stderr=subprocess.PIPE, pass_fds=pass_fds, env=env,
                                          start_new_session=True)
        except BaseException:
            if progress_read is not None:
                os.close(progress_read)
                os.close(progress_write)
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            raise
        if progress_read is not None:
            os.close(progress_write)  # the program holds it now: EOF comes when it exits
        self._stdin = self._proc.stdin.fileno()
        os.set_blocking(self._stdin, False)  # write() polls, so that a Ctrl-C is never stuck behind it
        self._poll = select.poll()
        self._poll.register(self._stdin, select.POLLOUT)
        try:
            import fcntl
            fcntl.fcntl(self._stdin, _F_SETPIPE_SZ, _PIPE_SIZE)
        except OSError:
            pass  # a smaller buffer only costs some speed
        self._threads = [threading.Thread(target=self._read_stderr, args=(bar,), daemon=True)]
        if progress_read is not None:
            self._threads.append(threading.Thread(target=self._read_records, args=(progress_read,), daemon=True))
        for t in self._threads:
            t.start()
        self.returncode = None

    @property
    def pid(self):
        return self._proc.pid

    def _read_stderr(self, echo):
        stream = self._proc.stderr
        while True:
            chunk = stream.read1(65536)
            if not chunk:
                break
            if echo:
                sys.stderr.write(chunk.decode(errors="replace"))
                sys.stderr.flush()
            self._stderr += chunk
            if len(self._stderr) > 2 * _STDERR_KEEP:
                del self._stderr[:-_STDERR_KEEP]
        stream.close()

    def _read_records(self, fd):
        with open(fd, "rb") as f:
            for line in f:
                try:
                    self._records.put(json.loads(line))
                except ValueError:
                    pass  # not a record: nothing a callback could use

    def deliver_progress(self):
        """Calls the progress callback, in the caller's thread, with the records that arrived."""
        while self._callback is not None:
            try:
                record = self._records.get_nowait()
            except queue.Empty:
                return
            self._callback(record)

    def write(self, view):
        """Writes all of `view`; raises BrokenPipeError if the program stopped reading.

        A Ctrl-C in the middle of a frame takes effect once the frame is written: the program
        would drop a partial frame and report the input as cut short. So, in the main thread,
        a handler of ours only notes SIGINT while a frame is written (an exception between
        write() returning and its count being added would lose that count), and the usual
        handler gets it afterwards. If the program takes nothing for _STALLED_SECONDS after a
        Ctrl-C, or a second Ctrl-C comes, the frame is given up on."""
        if threading.current_thread() is not threading.main_thread():
            self._write_all(view, lambda: 0)  # signals are handled by the main thread only
            return
        caught = []
        previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(frame))
        try:
            self._write_all(view, lambda: len(caught))
        finally:
            signal.signal(signal.SIGINT, previous)
            if caught:
                _deliver_sigint(previous, caught[0])

    def _write_all(self, view, interrupts):
        written, stalled = 0, 0.0
        while written < len(view):
            if self._poll.poll(_POLL_MS):
                try:
                    written += os.write(self._stdin, view[written:])
                    stalled = 0.0
                except BlockingIOError:
                    pass
            else:
                stalled += _POLL_MS / 1000
            pending = interrupts()
            if pending > 1 or (pending and stalled >= _STALLED_SECONDS):
                return

    def finish(self):
        """Ends the input and waits for the program: (exit status, stderr text, stats or None).
        A Ctrl-C while waiting is passed on to the program, which then ends the video at the
        frames it has, and is raised once the program has exited."""
        try:
            self._proc.stdin.close()
        except BrokenPipeError:
            pass
        interrupt = None
        while True:
            try:
                self.returncode = self._proc.wait()
                break
            except KeyboardInterrupt as e:
                interrupt = e
                self._signal(signal.SIGINT)
        for t in self._threads:
            t.join(timeout=10)
        stats = self._read_stats()
        shutil.rmtree(self._tmpdir, ignore_errors=True)
        if interrupt is not None:
            raise interrupt
        self.deliver_progress()
        return self.returncode, self.stderr_text(), stats

    def _signal(self, signum):
        try:
            self._proc.send_signal(signum)
        except ProcessLookupError:
            pass

    def kill(self):
        """Stops the program at once (an abandoned Writer); the video of the frames so far is
        still finished by it, as on any SIGTERM."""
        if self._proc.poll() is None:
            self._signal(signal.SIGTERM)
        try:
            self.finish()
        except Exception:  # noqa: BLE001 - the Writer is being thrown away
            pass

    def _read_stats(self):
        try:
            with open(self._stats_path, encoding="utf-8") as f:
                return json.load(f)
        except (OSError, ValueError):
            return None

    def stderr_text(self):
        text = _ANSI.sub("", bytes(self._stderr).decode(errors="replace"))
        return "\n".join(part for line in text.split("\n") for part in line.split("\r")[-1:]).strip("\n")


def _deliver_sigint(handler, frame):
    """Runs what SIGINT would have run, now that it is safe to."""
    if callable(handler):
        handler(signal.SIGINT, frame)
    elif handler == signal.SIG_DFL:
        os.kill(os.getpid(), signal.SIGINT)
