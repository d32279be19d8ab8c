import { describe, expect, it } from 'vitest';
import { ManualClock } from '../domain/clock.js';
import { FakeKafka } from '../services/fakes.js';
import { TopicRates } from './rates.js';

async function sample(kafka: FakeKafka, rates: TopicRates, clock: ManualClock) {
  return rates.update(await kafka.snapshot(), clock.now());
}

describe('topic rates', () => {
  it('is exact for a steady producer once two samples exist', async () => {
    const clock = new ManualClock(0);
    const kafka = new FakeKafka(clock).addTopic('orders', 3, { ratePerSecond: 500 }).addTopic('users', 1, { ratePerSecond: 7 });
    const rates = new TopicRates({ windowMs: 30_000 });
    const first = await sample(kafka, rates, clock);
    expect(first.orders!.perSecond).toBeUndefined();
    for (let i = 0; i < 40; i++) {
      clock.advance(2_000);
      const r = await sample(kafka, rates, clock);
      expect(r.orders!.perSecond).toBe(500);
      expect(r.users!.perSecond).toBe(7);
    }
  });

  it('measures over the sliding window: a rate change is fully reflected once the window has passed', async () => {
    const clock = new ManualClock(0);
    const kafka = new FakeKafka(clock).addTopic('orders', 1, { ratePerSecond: 100 });
    const rates = new TopicRates({ windowMs: 30_000 });
    const seen = new Map<number, number | undefined>();
    for (let t = 0; t <= 80_000; t += 2_000) {
      if (t === 40_000) kafka.setRate('orders', 400);
      seen.set(t, (await sample(kafka, rates, clock)).orders!.perSecond);
      clock.advance(2_000);
    }
    expect(seen.get(40_000)).toBe(100);
    // 16 s at 100/s and 14 s at 400/s in the 30 s window
    expect(seen.get(54_000)).toBe(240);
    expect(seen.get(68_000)!).toBeLessThan(400);
    expect(seen.get(70_000)).toBe(400);
    expect(seen.get(80_000)).toBe(400);
  });

  it('measures the window from its start, interpolated between the samples around it', async () => {
    // production starts at 1.5 s, between the first two refreshes (0 s and 2 s)
    const clock = new ManualClock(0);
    const kafka = new FakeKafka(clock).addTopic('orders', 1, { ratePerSecond: 0 });
    const rates = new TopicRates({ windowMs: 30_000 });
    await sample(kafka, rates, clock);
    clock.advance(1_500);
    kafka.setRate('orders', 5_000);
    clock.advance(500);
    await sample(kafka, rates, clock); // 2 s
    for (let t = 2_000; t < 30_000; t += 2_000) {
      clock.advance(2_000);
      await sample(kafka, rates, clock);
    }
    clock.advance(1_900); // 31.9 s: the window starts at 1.9 s, between the samples at 0 and 2 s
    const rate = (await sample(kafka, rates, clock)).orders!.perSecond!;
    // From the sample at 0 s (before production) the rate would span 31.9 s and read 4,765/s,
    // 4.7 % low; from the window's start it is within the linear estimate of 0.4 s of history.
    expect(Math.abs(rate - 5_000) / 5_000).toBeLessThan(0.005);
  });

  it('uses the last two samples when refreshes are slower than the window', async () => {
    const clock = new ManualClock(0);
    const kafka = new FakeKafka(clock).addTopic('slow', 1, { ratePerSecond: 3 });
    const rates = new TopicRates({ windowMs: 30_000 });
    await sample(kafka, rates, clock);
    clock.advance(60_000);
    expect((await sample(kafka, rates, clock)).slow!.perSecond).toBe(3);
    clock.advance(90_000);
    expect((await sample(kafka, rates, clock)).slow!.perSecond).toBe(3);
  });

  it('starts over when a topic is recreated and forgets topics that disappear', async () => {
    const clock = new ManualClock(0);
    const kafka = new FakeKafka(clock).addTopic('a', 1, { ratePerSecond: 10 }).addTopic('b', 1, { ratePerSecond: 10 });
    const rates = new TopicRates();
    await sample(kafka, rates, clock);
    clock.advance(10_000);
    await sample(kafka, rates, clock);
    kafka.deleteTopic('a');
    kafka.addTopic('a', 1, { ratePerSecond: 1 });
    clock.advance(1_000);
    const afterRecreate = await sample(kafka, rates, clock);
    // end offsets went backwards: no rate until a fresh pair of samples
    expect(afterRecreate.a!.perSecond).toBeUndefined();
    expect(afterRecreate.a!.history).toEqual([]);
    kafka.deleteTopic('b');
    clock.advance(1_000);
    const r = await sample(kafka, rates, clock);
    expect(Object.keys(r)).toEqual(['a']);
    expect(r.a!.perSecond).toBe(1);
    expect(rates.trackedTopics()).toBe(1);
  });

  it('keeps samples and sparkline history bounded however long it runs', async () => {
    const clock = new ManualClock(0);
    const kafka = new FakeKafka(clock).addTopic('t', 2, { ratePerSecond: 50 });
    const rates = new TopicRates({ windowMs: 30_000, historySize: 60, maxSamples: 16 });
    let last;
    for (let i = 0; i < 100_000; i++) {
      clock.advance(100); // refreshNow spam: far more samples than the window needs
      last = await sample(kafka, rates, clock);
    }
    expect(last!.t!.history).toHaveLength(60);
    expect(last!.t!.perSecond).toBe(50);
  });
});
