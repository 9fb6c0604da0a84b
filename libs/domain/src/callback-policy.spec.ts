import {
  ENFUCE_DEADLINE_SECONDS,
  MIN_USEFUL_ATTEMPT_MS,
  attemptBudget,
  callbackDeadline,
  callbackRetryDelay,
  callbackRetryDelayBefore,
  isDeliveredStatus,
  isRetryableCallbackStatus,
} from './callback-policy';

const lowest = () => 0;
// Math.random() is in [0, 1); 1 is the supremum and bounds the upper edge of the jitter.
const highest = () => 1;

describe('isRetryableCallbackStatus', () => {
  it.each([undefined, 408, 429, 500, 502, 503, 504, 599])('retries %s (network error, timeout, 408, 429, 5xx)', (status) => {
    expect(isRetryableCallbackStatus(status)).toBe(true);
  });

  it.each([400, 401, 403, 404, 409, 410, 422])('does not retry %s (a 4xx other than 408 and 429 ends delivery)', (status) => {
    expect(isRetryableCallbackStatus(status)).toBe(false);
  });

  it.each([200, 204, 302])('does not retry a non-error status %s', (status) => {
    expect(isRetryableCallbackStatus(status)).toBe(false);
  });
});

describe('isDeliveredStatus', () => {
  it.each([200, 201, 202, 204, 299])('counts %s as delivered', (status) => {
    expect(isDeliveredStatus(status)).toBe(true);
  });

  it.each([100, 199, 300, 302, 400, 408, 500])('does not count %s as delivered', (status) => {
    expect(isDeliveredStatus(status)).toBe(false);
  });
});

describe('callbackDeadline', () => {
  it('is 150 seconds after the webhook was received', () => {
    expect(ENFUCE_DEADLINE_SECONDS).toBe(150);
    expect(callbackDeadline(1_700_000_000_000)).toBe(1_700_000_150_000);
    expect(callbackDeadline(0)).toBe(150_000);
  });
});

describe('callbackRetryDelay', () => {
  it('grows exponentially with the number of attempts made', () => {
    const delays = [1, 2, 3, 4, 5].map((attempts) => callbackRetryDelay(attempts, highest));
    expect(delays).toEqual([250, 500, 1000, 2000, 4000]);
    const floors = [1, 2, 3, 4, 5].map((attempts) => callbackRetryDelay(attempts, lowest));
    expect(floors).toEqual([125, 250, 500, 1000, 2000]);
  });

  it('is capped at 8000 ms however many attempts were made', () => {
    expect(callbackRetryDelay(6, highest)).toBe(8000);
    expect(callbackRetryDelay(7, highest)).toBe(8000);
    expect(callbackRetryDelay(50, highest)).toBe(8000);
    expect(callbackRetryDelay(1000, highest)).toBe(8000);
    expect(callbackRetryDelay(1000, lowest)).toBe(4000);
  });

  it('treats zero or negative attempts like the first attempt', () => {
    expect(callbackRetryDelay(0, highest)).toBe(250);
    expect(callbackRetryDelay(-3, highest)).toBe(250);
  });

  it('stays within [ceiling / 2, ceiling] for every random value (equal jitter)', () => {
    for (let attempts = 1; attempts <= 10; attempts++) {
      const ceiling = Math.min(8000, 250 * 2 ** (attempts - 1));
      expect(callbackRetryDelay(attempts, lowest)).toBe(ceiling / 2);
      expect(callbackRetryDelay(attempts, highest)).toBe(ceiling);
      for (const r of [0.1, 0.25, 0.5, 0.75, 0.999]) {
        const delay = callbackRetryDelay(attempts, () => r);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
  });

  it('uses the random source to spread retries out', () => {
    expect(callbackRetryDelay(4, () => 0.5)).toBe(1500);
    expect(callbackRetryDelay(4, () => 0.25)).not.toBe(callbackRetryDelay(4, () => 0.75));
  });

  it('defaults to Math.random when no random source is given', () => {
    const spy = jest.spyOn(Math, 'random').mockReturnValue(0);
    try {
      expect(callbackRetryDelay(3)).toBe(500);
      expect(spy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
    }
  });
});

describe('attemptBudget', () => {
  const deadline = 1_000_000;

  it('is 0 when less than MIN_USEFUL_ATTEMPT_MS is left', () => {
    expect(attemptBudget(deadline - (MIN_USEFUL_ATTEMPT_MS - 1), deadline, 5000)).toBe(0);
    expect(attemptBudget(deadline - 1, deadline, 5000)).toBe(0);
    expect(attemptBudget(deadline, deadline, 5000)).toBe(0);
  });

  it('is 0 once the deadline has passed', () => {
    expect(attemptBudget(deadline + 10_000, deadline, 5000)).toBe(0);
  });

  it('is capped by the attempt timeout when plenty of time is left', () => {
    expect(attemptBudget(deadline - 100_000, deadline, 5000)).toBe(5000);
    expect(attemptBudget(deadline - 100_000, deadline, 1234)).toBe(1234);
  });

  it('equals the time left when the deadline is nearer than the attempt timeout', () => {
    expect(attemptBudget(deadline - 3000, deadline, 5000)).toBe(3000);
    expect(attemptBudget(deadline - MIN_USEFUL_ATTEMPT_MS, deadline, 5000)).toBe(MIN_USEFUL_ATTEMPT_MS);
  });
});

describe('callbackRetryDelayBefore', () => {
  const deadline = 1_000_000;

  it('is the normal backoff when the deadline is far away', () => {
    expect(callbackRetryDelayBefore(deadline, deadline - 100_000, 3, highest)).toBe(callbackRetryDelay(3, highest));
    expect(callbackRetryDelayBefore(deadline, deadline - 100_000, 3, lowest)).toBe(callbackRetryDelay(3, lowest));
  });

  it('never schedules the next attempt after deadline - MIN_USEFUL_ATTEMPT_MS', () => {
    for (let left = 0; left <= 10_000; left += 137) {
      const now = deadline - left;
      for (const attempts of [1, 3, 6, 20]) {
        const delay = callbackRetryDelayBefore(deadline, now, attempts, highest);
        if (left >= MIN_USEFUL_ATTEMPT_MS) expect(now + delay).toBeLessThanOrEqual(deadline - MIN_USEFUL_ATTEMPT_MS);
      }
    }
  });

  it('shortens the wait so one last useful attempt still starts in time', () => {
    // 3 s left, backoff would be 8 s: wait only until 250 ms before the deadline.
    expect(callbackRetryDelayBefore(deadline, deadline - 3000, 10, highest)).toBe(3000 - MIN_USEFUL_ATTEMPT_MS);
  });

  it('is never negative, and 0 when too little is left for another attempt', () => {
    expect(callbackRetryDelayBefore(deadline, deadline - 100, 5, highest)).toBe(0);
    expect(callbackRetryDelayBefore(deadline, deadline - 1, 5, lowest)).toBe(0);
  });

  it('waits the ordinary backoff once the deadline has passed, so a job left with records to write never spins', () => {
    expect(callbackRetryDelayBefore(deadline, deadline, 5, lowest)).toBe(callbackRetryDelay(5, lowest));
    expect(callbackRetryDelayBefore(deadline, deadline + 60_000, 20, highest)).toBe(callbackRetryDelay(20, highest));
    expect(callbackRetryDelayBefore(deadline, deadline + 60_000, 20, lowest)).toBeGreaterThanOrEqual(4000);
  });
});
