"""One run of the framepipe program: its stdin takes the frames, its stderr and progress records
are read by threads (so it never blocks on them), and it is always waited for.

The program runs in a process group of its own, so a Ctrl-C at the terminal reaches only Python:
the Writer then finishes the frame it was writing, closes the input, and the program writes a
complete video of the frames so far instead of racing Python to react to the same signal. Not in
a session of its own: with the kernel's autogroup scheduler that would make it and ffmpeg a
scheduling group apart from Python's, which costs time (docs/performance.md).
"""
import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

# The most of the program's stderr kept: its error and ffmpeg's last lines come at the end.
_STDERR_KEEP = 1 << 20
_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
_OWN_GROUP = {"process_group": 0} if sys.version_info >= (3, 11) else {"preexec_fn": os.setpgrp}


class CliProcess:
    def __init__(self, argv, progress=None, bar=False):
        self._tmpdir = tempfile.mkdtemp(prefix="framepipe-py-")
        self._stats_path = os.path.join(self._tmpdir, "stats.json")
        self._records, self._callback, self._stderr = queue.SimpleQueue(), progress, bytearray()
        self.returncode, self.last_write_complete = None, False
        progress_read, progress_write = os.pipe() if progress is not None else (None, None)
        try:
            self._proc = self._spawn(argv, progress_write, bar)
        except BaseException:
            for fd in (progress_read, progress_write):
                if fd is not None:
                    os.close(fd)
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            raise
        if progress_write is not None:
            os.close(progress_write)  # the program holds it now: EOF comes when it exits
        self._stdin = self._proc.stdin.fileno()  # the program enlarges this pipe itself
        self._threads = [threading.Thread(target=self._read_stderr, args=(bar,), daemon=True)]
        if progress_read is not None:
            self._threads.append(threading.Thread(target=self._read_records, args=(progress_read,), daemon=True))
        for t in self._threads:
            t.start()

    def _spawn(self, argv, progress_fd, bar):
        options, env = ["--stats-json", self._stats_path], None
        if progress_fd is not None:
            options += ["--progress-fd", str(progress_fd)]
        elif bar:
            # Its stderr is our pipe, not the terminal: tell it the terminal's width.
            options += ["--progress", "bar"]
            env = dict(os.environ, COLUMNS=str(shutil.get_terminal_size().columns))
        return subprocess.Popen([argv[0], *options, *argv[1:]], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, env=env,
                                pass_fds=() if progress_fd is None else (progress_fd,), **_OWN_GROUP)

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
        a handler of ours only notes the first SIGINT while a frame is written (an exception
        between write() returning and its count being added would lose that count), and the
        usual handler gets it afterwards. A second Ctrl-C raises at once, for a program that
        has stopped taking frames."""
        if threading.current_thread() is not threading.main_thread():
            self._write_all(view)  # signals are handled by the main thread only
            return
        caught = []

        def note(signum, frame):
            if caught:
                raise KeyboardInterrupt
            caught.append(frame)

        previous = signal.signal(signal.SIGINT, note)
        try:
            self._write_all(view)
        finally:
            signal.signal(signal.SIGINT, previous)
        if caught:
            _deliver_sigint(previous, caught[0])

    def _write_all(self, view):
        # One write() normally takes the whole frame: the kernel fills the pipe as the program
        # empties it. It returns early only when a signal handler ran (PEP 475 retries EINTR).
        self.last_write_complete = False
        written = 0
        while written < len(view):
            written += os.write(self._stdin, view[written:])
        self.last_write_complete = True

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

    def abandon(self):
        """Ends the input of a Writer that is being thrown away: the program finishes the video
        of the frames so far, and is reaped."""
        try:
            self.finish()
        except Exception:  # noqa: BLE001 - nobody is left to hear about it
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
