"""The memory and CPU of a tree of processes (a Celery worker and its pool), read from /proc:
Linux only. bench/reports.py samples its workers with it."""

import os
import threading
from pathlib import Path

SAMPLE_INTERVAL = 0.2
ROLES = ("main", "pool", "subprocess")  # a worker's processes by depth in its tree


def _children(pid):
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except (OSError, ValueError):
        return []


def process_tree(pid):
    """[(pid, depth)] of `pid` and its descendants: a prefork worker's main process (0), its pool
    processes (1) and what those run (2: ldconfig, gcc and ld, as ctypes looks for WeasyPrint's
    libraries on the first PDF)."""
    tree, pending = [], [(pid, 0)]
    while pending:
        current, depth = pending.pop()
        tree.append((current, depth))
        pending.extend((child, depth + 1) for child in _children(current))
    return tree


def _status_kib(pid, *fields):
    """Fields of /proc/<pid>/status in KiB (VmRSS, VmHWM), None when the process is gone."""
    values = dict.fromkeys(fields)
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _sep, rest = line.partition(":")
            if key in values:
                values[key] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        return dict.fromkeys(fields)
    return values


def _pss_kib(pid):
    """Proportional set size: shared pages (a fork's copy-on-write ones) divided among their users."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cpu_seconds(pid):
    """User + system CPU time of `pid` and of its children it has waited for, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    except OSError:
        return 0.0
    # After the command name: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _tree_cpu_seconds(workers):
    return sum(_cpu_seconds(pid) for root in workers.values() for pid, _depth in process_tree(root))


class ProcessSampler:
    """Every SAMPLE_INTERVAL, the RSS (and PSS) of each process of each worker's tree, in a thread;
    and the CPU time the trees used meanwhile (it does not grow when other work on the machine
    slows them, unlike the wall time)."""

    def __init__(self, workers):
        self.workers = workers  # {name: root pid}
        self.peaks = {}  # pid -> (worker name, role, peak RSS KiB)
        self.peak_total_rss = self.peak_total_pss = 0
        self.samples = 0
        self.cpu_seconds = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-memory", daemon=True)

    def __enter__(self):
        self._cpu_before = _tree_cpu_seconds(self.workers)
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.cpu_seconds = _tree_cpu_seconds(self.workers) - self._cpu_before

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(SAMPLE_INTERVAL)

    def sample(self):
        total_rss = total_pss = 0
        for name, root in self.workers.items():
            for pid, depth in process_tree(root):
                rss = _status_kib(pid, "VmRSS")["VmRSS"]
                if rss is None:
                    continue
                role = ROLES[min(depth, len(ROLES) - 1)]
                _name, _role, peak = self.peaks.get(pid, (name, role, 0))
                self.peaks[pid] = (name, role, max(peak, rss))
                total_rss += rss
                total_pss += _pss_kib(pid) or 0
        self.peak_total_rss = max(self.peak_total_rss, total_rss)
        self.peak_total_pss = max(self.peak_total_pss, total_pss)
        self.samples += 1

    def figures(self):
        """Peaks of this sampling, and each process's VmHWM (its peak since it started)."""
        processes = []
        order = {role: index for index, role in enumerate(ROLES)}
        for pid, (name, role, peak) in sorted(self.peaks.items(), key=lambda item: (item[1][0], order[item[1][1]])):
            hwm = _status_kib(pid, "VmHWM")["VmHWM"]
            processes.append(
                {
                    "worker": name,
                    "role": role,
                    "pid": pid,
                    "peak_rss_mib": round(peak / 1024, 1),
                    "hwm_mib": None if hwm is None else round(hwm / 1024, 1),
                }
            )
        return {
            "processes": processes,
            "peak_total_rss_mib": round(self.peak_total_rss / 1024, 1),
            "peak_total_pss_mib": round(self.peak_total_pss / 1024, 1),
            "samples": self.samples,
            "cpu_s": round(self.cpu_seconds, 2),
        }
