"""The pacer, with an injected clock: what it lets through, and how long it holds the rest.

`SimulatedHub` counts requests in fixed windows as the Hub does (on arrival) and answers
with `RateLimit` in whole seconds; `drive` sends requests through the pacer with a number
of workers and a latency, all in fake time. No test here waits for real.
"""

from __future__ import annotations

import math

import pytest

from syncer.hub.ratelimit import AWAIT_ANSWER, MARGIN, Pacer
from tests.conftest import FakeClock


def headers(bucket: str, remaining: int, reset: int, quota: int | None = None, window: int | None = None) -> dict[str, str]:
    answer = {"RateLimit": f'"{bucket}";r={remaining};t={reset}'}
    if quota is not None:
        answer["RateLimit-Policy"] = f'"fixed window";"{bucket}";q={quota};w={window}'
    return answer


class SimulatedHub:
    """Fixed windows of `window` s from `start`; `used` requests already spent in the first."""

    def __init__(self, quota: int, window: float, start: float, used: int = 0, rounding=math.floor):
        self.quota, self.window, self.start, self.rounding = quota, window, start, rounding
        self.counts: dict[int, int] = {0: used}
        self.over = 0

    def arrive(self, bucket: str, at: float) -> dict[str, str]:
        index = int((at - self.start) // self.window)
        self.counts[index] = self.counts.get(index, 0) + 1
        if self.counts[index] > self.quota:
            self.over += 1
        reset = self.start + (index + 1) * self.window - at
        left = max(0, self.quota - self.counts[index])
        return headers(bucket, left, max(0, int(self.rounding(reset))), self.quota, int(self.window))


def drive(pacer: Pacer, clock: FakeClock, hub: SimulatedHub, requests: int, workers: int, latency: float) -> float:
    """Send `requests` through `workers` that each wait `latency` for an answer; return the time taken."""
    started, sent, in_flight = clock.now, 0, []  # in_flight: (answer time, sent time, headers)
    while sent < requests or in_flight:
        while sent < requests and len(in_flight) < workers:
            wait = pacer.delay("api")
            if wait is None:
                in_flight.append((clock.now + latency, clock.now, hub.arrive("api", clock.now + latency / 2)))
                sent += 1
            elif wait == AWAIT_ANSWER:
                break
            else:
                clock.sleep(wait)
        if not in_flight:
            continue
        in_flight.sort(key=lambda answer: answer[0])
        answered_at, sent_at, answer = in_flight.pop(0)
        clock.now = max(clock.now, answered_at)
        pacer.after_response("api", answer, 200, sent_at)
    return clock.now - started


@pytest.fixture
def clock():
    return FakeClock()


@pytest.mark.parametrize("rounding", [math.floor, math.ceil, round], ids=["floor", "ceil", "round"])
@pytest.mark.parametrize("window", [2.0, 6.0, 300.0])
def test_never_over_the_quota_and_no_window_wasted(clock, rounding, window):
    """150 requests at 50 per window: three windows, every one used to the last request."""
    pacer = Pacer(sleep=clock.sleep, clock=clock)
    hub = SimulatedHub(quota=50, window=window, start=clock.now - 0.37, rounding=rounding)
    taken = drive(pacer, clock, hub, requests=150, workers=8, latency=0.05)
    assert hub.over == 0
    assert sorted(hub.counts.values()) == [50, 50, 50]
    assert taken < 2 * window + 2 + 0.5, "the third window starts at most 2 s (whole-second resets) after it opens"


def test_a_window_partly_used_by_another_client(clock):
    pacer = Pacer(sleep=clock.sleep, clock=clock)
    hub = SimulatedHub(quota=20, window=10.0, start=clock.now, used=17)
    drive(pacer, clock, hub, requests=10, workers=8, latency=0.05)
    assert hub.over == 0
    assert hub.counts == {0: 20, 1: 7}


def test_requests_in_flight_never_outnumber_what_is_left(clock):
    pacer = Pacer(sleep=clock.sleep, clock=clock)
    assert pacer.delay("api") is None, "nothing known: one request asks"
    assert pacer.delay("api") == AWAIT_ANSWER, "the others wait for its answer"
    pacer.after_response("api", headers("api", 3, 60), 200, clock.now)
    assert [pacer.delay("api") for _ in range(4)] == [None, None, None, AWAIT_ANSWER]
    # The first answer says 1 left: the Hub had counted two of ours already. The third one in
    # flight may still arrive: no room for another until it is answered.
    pacer.after_response("api", headers("api", 1, 60), 200, clock.now)
    assert pacer.delay("api") == AWAIT_ANSWER
    pacer.after_response("api", headers("api", 2, 60), 200, clock.now)  # an older answer, late
    assert pacer.delay("api") == AWAIT_ANSWER, "the lowest count left is the truest"
    pacer.after_response("api", headers("api", 0, 60), 200, clock.now)
    assert pacer.delay("api") == pytest.approx(61 + MARGIN), "none left: wait for the reset"


def test_the_remaining_count_is_not_reduced_by_requests_in_flight(clock):
    """The Hub counted them on arrival: 4 left and 4 answered means 4 more may go."""
    pacer = Pacer(sleep=clock.sleep, clock=clock)
    pacer.delay("api")
    pacer.after_response("api", headers("api", 4, 60), 200, clock.now)
    assert [pacer.delay("api") for _ in range(5)] == [None] * 4 + [AWAIT_ANSWER]


def test_buckets_are_paced_apart(clock):
    pacer = Pacer(sleep=clock.sleep, clock=clock)
    pacer.delay("api")
    pacer.after_response("api", headers("api", 0, 30), 200, clock.now)
    assert pacer.delay("api") == pytest.approx(31 + MARGIN)
    assert pacer.delay("resolvers") is None, "an empty API bucket holds no config.json"
    pacer.after_response("resolvers", headers("resolvers", 100, 30), 200, clock.now)
    assert pacer.delay("resolvers") is None


def test_whole_second_resets_are_narrowed_by_every_answer(clock):
    pacer = Pacer(sleep=clock.sleep, clock=clock)
    pacer.delay("api")
    sent = clock.now
    clock.now += 0.2
    pacer.after_response("api", headers("api", 5, 10), 200, sent)
    pacer.delay("api")
    sent = clock.now
    clock.now += 0.7  # arrived 0.3 s later than the first and the Hub says 9 s to go: the end is closer
    pacer.after_response("api", headers("api", 0, 9), 200, sent)
    assert pacer.delay("api") == pytest.approx(9 + 1 + MARGIN)


def test_the_window_length_bounds_the_reset_of_a_window_just_begun(clock):
    pacer = Pacer(sleep=clock.sleep, clock=clock)
    pacer.delay("api")
    pacer.after_response("api", headers("api", 0, 6, quota=1, window=6), 200, clock.now)
    assert pacer.delay("api") == pytest.approx(6 + MARGIN), "not 6 + 1: the window began before the request arrived"


def test_a_new_window_starts_with_the_advertised_quota(clock):
    pacer = Pacer(sleep=clock.sleep, clock=clock)
    pacer.delay("api")
    pacer.after_response("api", headers("api", 0, 5, quota=3, window=10), 200, clock.now)
    clock.sleep(pacer.delay("api") or 0)
    assert [pacer.delay("api") for _ in range(4)] == [None, None, None, AWAIT_ANSWER]


def test_without_an_advertised_quota_nothing_waits_until_a_429_then_the_rate_is_learned(clock):
    pacer = Pacer(sleep=clock.sleep, clock=clock)
    for _ in range(5):
        assert pacer.delay("api") is None
        clock.now += 1.0
        pacer.after_response("api", {}, 200)
    assert pacer.delay("api") is None
    pacer.after_response("api", {"Retry-After": "5"}, 429)
    assert pacer.delay("api") == pytest.approx(5.0), "held as long as Retry-After says"
    clock.sleep(5.0)
    allowed = 0
    while pacer.delay("api") is None:
        pacer.after_response("api", {}, 200)
        allowed += 1
    assert allowed == 5, "as many per period as were accepted before the 429"


def test_a_429_with_retry_after_holds_the_whole_bucket(clock):
    pacer = Pacer(sleep=clock.sleep, clock=clock)
    pacer.delay("api")
    pacer.after_response("api", headers("api", 100, 60), 200, clock.now)
    pacer.delay("api")
    pacer.after_response("api", {"Retry-After": "7"}, 429, clock.now)
    assert pacer.delay("api") == pytest.approx(7.0)
    assert pacer.delay("resolvers") is None
