"""Resource limits for the grading worker and every kernel it starts."""

import resource

__all__ = ["Limits"]


class Limits:
    """Resource limits for the grading worker and every kernel it starts.

    Parameters
    ----------
    memory_mb : int
        Largest address space of each process, in MiB (RLIMIT_AS). Beyond it an allocation fails
        with MemoryError instead of exhausting the machine.
    cpu_seconds : int
        CPU time of each process (RLIMIT_CPU); a kernel that ignores the cell timeout's interrupt
        is killed when it has used this much.
    wall_seconds : int
        Longest time one submission may take before its worker is killed.

    Examples
    --------
    >>> Limits(memory_mb=1024)
    Limits(memory_mb=1024, cpu_seconds=120, wall_seconds=300)
    >>> Limits(cpu_seconds=0)
    Traceback (most recent call last):
    ...
    ValueError: cpu_seconds must be a positive integer, but got 0
    """

    def __init__(self, memory_mb=2048, cpu_seconds=120, wall_seconds=300):
        for name, value in (("memory_mb", memory_mb), ("cpu_seconds", cpu_seconds),
                            ("wall_seconds", wall_seconds)):
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise ValueError(f"{name} must be a positive integer, but got {value!r}")
        self.memory_mb, self.cpu_seconds, self.wall_seconds = memory_mb, cpu_seconds, wall_seconds

    def apply(self):
        """Set the limits on the current process (run in the worker before it starts)."""
        memory = self.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        # At the soft limit the process receives SIGXCPU (which ends it), at the hard one SIGKILL.
        resource.setrlimit(resource.RLIMIT_CPU, (self.cpu_seconds, self.cpu_seconds + 5))

    def __repr__(self):
        return (f"Limits(memory_mb={self.memory_mb}, cpu_seconds={self.cpu_seconds}, "
                f"wall_seconds={self.wall_seconds})")
