import { PositionWaiters } from './position-waiters';

describe('PositionWaiters', () => {
  it('resolves at once when the position is already reached', async () => {
    await expect(new PositionWaiters().wait(5, 5, 0)).resolves.toBe(true);
  });

  it('releases exactly the waiters a position reaches', async () => {
    const waiters = new PositionWaiters();
    const early = waiters.wait(0, 3, 10_000);
    const late = waiters.wait(0, 9, 30);
    waiters.reached(4);
    await expect(early).resolves.toBe(true);
    await expect(late).resolves.toBe(false);
  });

  it('times out with false', async () => {
    const started = Date.now();
    await expect(new PositionWaiters().wait(0, 1, 20)).resolves.toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
  });

  it('releases every waiter with false when cancelled, at once', async () => {
    const waiters = new PositionWaiters();
    const pending = [waiters.wait(0, 3, 60_000), waiters.wait(0, 5, 60_000)];
    waiters.cancelAll();
    await expect(Promise.all(pending)).resolves.toEqual([false, false]);
    waiters.reached(10); // nothing left to release
  });
});
