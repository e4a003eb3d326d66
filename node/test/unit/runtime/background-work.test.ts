import { BackgroundWork } from "../../../src/runtime/background-work";

describe("BackgroundWork", () => {
  it("counts work while running and stops counting while any request holds it", async () => {
    let calls = 0;
    const loop = new BackgroundWork({ work: () => void calls++ });
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

  it("counts failures without throwing", async () => {
    const loop = new BackgroundWork({
      work: () => {
        throw new Error("source down");
      },
    });
    await loop.tick();
    expect(loop.failed).toBe(1);
    expect(loop.processed).toBe(0);
    expect(() => new BackgroundWork({ intervalMs: 0 })).toThrow(RangeError);
  });

  it("ticks once per interval between start and stop (fake timers, no real waiting)", async () => {
    jest.useFakeTimers();
    try {
      const loop = new BackgroundWork({ intervalMs: 5 });
      loop.start();
      expect(loop.running).toBe(true);
      await jest.advanceTimersByTimeAsync(60);
      expect(loop.processed).toBe(12);
      loop.stop();
      expect(loop.running).toBe(false);
      await jest.advanceTimersByTimeAsync(60);
      expect(loop.processed).toBe(12);
    } finally {
      jest.useRealTimers();
    }
  });
});
