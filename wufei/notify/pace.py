"""How fast a group robot may be sent to (pure: no Apprise, no network, no database).

企业微信's and 钉钉's group robots take at most 20 messages a minute each; past that they refuse
(钉钉 then refuses everything for ten minutes), and 飞书's take 5 a second and 100 a minute. An office
often has one robot in its 无废城市 work group for every department's digest, so a day's delivery
sends it dozens of messages at once. A `Pacer` hands each send the earliest moment every rate of
its robot allows and the sender waits for it; sends already made to the robot (by an earlier run,
from the deliveries table) are `seen` first. A delivery run does not wait in a sending thread: it
`reserve`s the moment and hands a send that must wait to its robot thread (wufei.notify.runs), so
emails and webhooks go on meanwhile. The platforms count a request when it reaches them, so
each window is kept a little longer than theirs. A robot that refused one as too many (another
process sent it some: runs do not see each other's pace) is `throttled`: the run sends it nothing
more while the platform's penalty lasts; those messages fail unsent and are retried.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

MARGIN = 2.0  # seconds added to a minute's window: the request's way there, the platform's clock


@dataclass(frozen=True)
class Rate:
    messages: int
    seconds: float


class Pacer:
    """The send times reserved per robot (any hashable key), shared by the threads of a run."""

    def __init__(self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep):
        self._clock, self._sleep = clock, sleep
        self._lock = threading.Lock()
        self._sent: dict[Hashable, deque[float]] = {}
        self._refusing: dict[Hashable, float] = {}  # robot → until when it refuses everything
        self.counted = False  # earlier runs' sends `seen` (wufei.notify.runs)

    def seen(self, key: Hashable, ages: Iterable[float]) -> None:
        """Sends made to the robot `ages` seconds ago (by another run), counted as this run's own."""
        now = self._clock()
        with self._lock:
            earlier = (now - age for age in ages if age >= 0)
            self._sent[key] = deque(sorted([*self._sent.get(key, ()), *earlier]))

    def reserve(self, key: Hashable, rates: tuple[Rate, ...], *, within: float | None = None) -> float | None:
        """The moment (on the clock) this send may leave, taken: no rate of `rates` exceeded by it.
        None (nothing taken) when that moment is more than `within` seconds away."""
        longest = max(rate.seconds for rate in rates)
        with self._lock:
            times = self._sent.setdefault(key, deque())
            now = self._clock()
            at = max(now, times[-1] if times else 0.0)
            for rate in rates:
                if len(times) >= rate.messages:  # the window ending at `at` must hold fewer than `messages`
                    at = max(at, times[-rate.messages] + rate.seconds)
            if within is not None and at - now > within:
                return None
            times.append(at)
            while times and times[0] <= at - longest:
                times.popleft()
            return at

    def refusing(self, key: Hashable) -> bool:
        """The robot said it takes nothing for a while (`throttled`), and the while is not over."""
        with self._lock:
            return self._clock() < self._refusing.get(key, float("-inf"))

    def throttled(self, key: Hashable, seconds: float) -> None:
        """The robot refused a message as one too many: it takes nothing more for `seconds`."""
        with self._lock:
            self._refusing[key] = max(self._refusing.get(key, float("-inf")), self._clock() + seconds)

    def wait(self, key: Hashable, rates: tuple[Rate, ...]) -> float:
        """Wait until this send may leave; the seconds waited."""
        at = self.reserve(key, rates)
        assert at is not None  # no `within`: always taken
        delay = at - self._clock()
        if delay > 0:
            self._sleep(delay)
        return max(delay, 0.0)
