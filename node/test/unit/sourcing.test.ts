import { SourcingLoop } from "../../src/sourcing";

describe("SourcingLoop", () => {
  it("counts work while running and stops counting while any request holds it", async () => {
    let calls = 0;
    const loop = new SourcingLoop({ work: () => void calls++ });
    await loop.tick();
    await loop.tick();
    expect(loop.processed).toBe(2);
    expect(loop.pause("req-1")).toBe(true);
    expect(loop.pause("req-2")).toBe(false);
    expect(loop.paused).toBe(true);
    await loop.tick();
    expect(loop.processed).toBe(2);
    expect(loop.resume("req-1")).toBe(false);
    await loop.tick();
    expect(loop.processed).toBe(2);
    expect(loop.resume("unknown")).toBe(false);
    expect(loop.resume("req-2")).toBe(true);
    await loop.tick();
    expect(loop.processed).toBe(3);
    expect(calls).toBe(3);
  });

  it("counts failures without throwing, and ticks on a timer between start and stop", async () => {
    const loop = new SourcingLoop({
      intervalMs: 5,
      work: () => {
        throw new Error("source down");
      },
    });
    await loop.tick();
    expect(loop.failed).toBe(1);
    const counting = new SourcingLoop({ intervalMs: 5 });
    counting.start();
    expect(counting.running).toBe(true);
    await new Promise((r) => setTimeout(r, 60));
    counting.stop();
    const done = counting.processed;
    expect(done).toBeGreaterThan(2);
    await new Promise((r) => setTimeout(r, 30));
    expect(counting.processed).toBe(done);
    expect(() => new SourcingLoop({ intervalMs: 0 })).toThrow(RangeError);
  });
});
