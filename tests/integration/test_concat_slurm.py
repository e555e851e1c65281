"""The Slurm example (examples/segments/submit-slurm.sh) on a real single-node Slurm that this test
starts and stops itself: munged, slurmctld and slurmd with their own key, configuration, ports,
state and spool directories, all removed afterwards. A job array renders and encodes the windows,
a job depending on it (afterok) joins them.

Needs root (the daemons run as root and munge, as on a cluster's nodes) and Debian's slurmctld,
slurmd, slurm-client and munge; skips (exit code 125) only when slurmctld is not installed.
Works with Slurm 22.05 (Debian 12) and 24.11 (Debian 13): see cgroup_conf().
"""
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

import fp

if not shutil.which("slurmctld"):
    print("SKIP: slurmctld is not installed (make test installs it: apt-get install slurmctld slurmd "
          "slurm-client munge)")
    sys.exit(125)

EXAMPLES = os.path.join(fp.SOURCE_DIR, "examples", "segments")
PRODUCER = os.path.join(os.path.dirname(fp.FRAMEPIPE), "examples", "producer")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def slurm_major():
    out = subprocess.run(["slurmctld", "-V"], stdout=subprocess.PIPE, text=True, check=True).stdout
    return int(re.search(r"(\d+)\.\d+", out).group(1))


def cgroup_conf():
    # slurmd always initialises a cgroup plugin. 22.05 has no "disabled" and its cgroup/v2 wants
    # systemd; v1 works without one (it is only loaded, as TaskPlugin=task/none and proctrack/
    # linuxproc use no cgroups). 24.05 and later can switch cgroups off outright.
    return "CgroupPlugin=" + ("disabled" if slurm_major() >= 24 else "cgroup/v1") + "\n"


class SingleNodeSlurm:
    """munged + slurmctld + slurmd in `base`, on free ports; stop() ends and reaps all three."""

    def __init__(self, base):
        self.base = base
        self.procs = []
        self.logs = {}
        munge = pwd.getpwnam("munge")
        self.munge_dir = os.path.join(base, "munge")
        os.makedirs(self.munge_dir, mode=0o700)
        os.chown(self.munge_dir, munge.pw_uid, munge.pw_gid)
        self.socket = os.path.join(self.munge_dir, "munge.socket")
        key = os.path.join(self.munge_dir, "munge.key")
        with open(key, "wb") as f:
            f.write(os.urandom(1024))
        os.chown(key, munge.pw_uid, munge.pw_gid)
        os.chmod(key, 0o400)
        etc = os.path.join(base, "etc")
        for d in ("etc", "state", "spool", "log"):
            os.makedirs(os.path.join(base, d), mode=0o755)
        self.conf = os.path.join(etc, "slurm.conf")
        with open(self.conf, "w") as f:
            f.write(self.slurm_conf())
        with open(os.path.join(etc, "cgroup.conf"), "w") as f:
            f.write(cgroup_conf())
        self.env = dict(os.environ, SLURM_CONF=self.conf)

    def slurm_conf(self):
        # Accounting, job completion and job accounting gathering are left unset (off by default),
        # so no plugin name has to exist in both 22.05 and 24.11.
        b = self.base
        return f"""ClusterName=framepipetest
SlurmctldHost=localhost
SlurmctldPort={free_port()}
SlurmdPort={free_port()}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket={self.socket}
StateSaveLocation={b}/state
SlurmdSpoolDir={b}/spool
SlurmctldPidFile={b}/slurmctld.pid
SlurmdPidFile={b}/slurmd.pid
SlurmctldLogFile={b}/log/slurmctld.log
SlurmdLogFile={b}/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP
"""

    def spawn(self, name, argv):
        log = open(os.path.join(self.base, "log", name + ".out"), "wb")
        self.logs[name] = log.name
        proc = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT, env=self.env,
                                start_new_session=True)
        log.close()
        self.procs.append((name, proc))
        return proc

    def start(self):
        d = self.munge_dir
        self.spawn("munged", ["runuser", "-u", "munge", "--", "munged", "--foreground", "--force",
                              f"--socket={self.socket}", f"--key-file={d}/munge.key",
                              f"--pid-file={d}/munged.pid", f"--log-file={d}/munged.log",
                              f"--seed-file={d}/munged.seed"])
        self.wait_for(lambda: os.path.exists(self.socket), "munged's socket")
        self.spawn("slurmctld", ["slurmctld", "-D", "-i"])
        self.spawn("slurmd", ["slurmd", "-D", "-N", "localhost"])
        self.wait_for(lambda: self.node_state() == "idle", "the node to be idle in sinfo")

    def node_state(self):
        proc = subprocess.run(["sinfo", "-h", "-N", "-o", "%t"], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True, env=self.env)
        return proc.stdout.strip()

    def wait_for(self, ready, what, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if ready():
                return
            for name, proc in self.procs:
                if proc.poll() is not None:
                    raise AssertionError(f"{name} exited ({proc.returncode}) while waiting for {what}:\n"
                                         + self.log_tails())
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}:\n" + self.log_tails())

    def log_tails(self):
        text = ""
        for path in list(self.logs.values()) + [os.path.join(self.base, "log", n) for n in
                                                ("slurmctld.log", "slurmd.log")]:
            if os.path.exists(path):
                with open(path, errors="replace") as f:
                    text += f"--- {path}\n" + "".join(f.readlines()[-15:])
        return text

    def stop(self):
        # slurmd first (it ends its jobs' steps), then the controller, then munge.
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(15)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        self.procs = []


class SlurmExample(fp.TempDirTest):
    def setUp(self):
        super().setUp()
        if os.geteuid() != 0:
            self.fail("this test starts slurmd and munged, which needs root (CI runs as root)")
        # munge must reach its directory; mkdtemp makes the test directory private.
        os.chmod(self.dir, 0o755)
        self.slurm = SingleNodeSlurm(os.path.join(self.dir, "slurm"))
        self.addCleanup(self.slurm.stop)
        self.slurm.start()

    def submit(self, **settings):
        env = dict(self.slurm.env, FRAMEPIPE=fp.FRAMEPIPE, PRODUCER=PRODUCER, SIZE="320x240", WAIT="1",
                   SEGMENTS=self.path("parts"), OUTPUT=self.path("movie.mp4"))
        env.pop("FRAMEPIPE_FFMPEG", None)
        env.update(settings)
        return subprocess.run([os.path.join(EXAMPLES, "submit-slurm.sh")], env=env, cwd=self.dir,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)

    def test_job_array_then_dependent_join(self):
        proc = self.submit(TOTAL="50", WINDOW="20")
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr + self.slurm.log_tails())
        self.assertIn("3 tasks of up to 20 frames", proc.stdout)
        self.assertEqual(fp.frames_in("movie.mp4"), 50)
        self.assertTrue(fp.decodes_cleanly("movie.mp4"))
        self.assertEqual(os.listdir("parts"), [], "the join removed the verified segments")

        # A window that fails (an unusable preset) fails its task; the join never runs.
        proc = self.submit(TOTAL="30", WINDOW="20", PRESET="gif", OUTPUT=self.path("broken.mp4"))
        self.assertNotEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        self.assertFalse(os.path.exists("broken.mp4"))


if __name__ == "__main__":
    unittest.main()
