import { CRASH_WINDOW_MS, CRASHES_ALLOWED, DEFAULT_MAX_WORKERS, tooManyCrashes, webConcurrency } from "../../../app/workers";

describe("WEB_CONCURRENCY", () => {
  it("defaults to one worker per core, at most DEFAULT_MAX_WORKERS, never none", () => {
    expect(webConcurrency(undefined, 2)).toBe(2);
    expect(webConcurrency("", 1)).toBe(1);
    expect(webConcurrency("auto", 16)).toBe(DEFAULT_MAX_WORKERS);
    expect(webConcurrency(" AUTO ", 3)).toBe(3);
    expect(webConcurrency(undefined, 0)).toBe(1);
  });
  it("takes a whole number from 1 to 64 as given, and refuses anything else with the variable's name", () => {
    expect(webConcurrency("1", 8)).toBe(1);
    expect(webConcurrency("12", 2)).toBe(12);
    for (const bad of ["0", "65", "-1", "1.5", "two", "1e2"]) expect(() => webConcurrency(bad, 2)).toThrow(/WEB_CONCURRENCY/);
  });
});

describe("restarting workers that exit", () => {
  it("goes on while exits are spread out, and stops when more than CRASHES_ALLOWED fall within the window", () => {
    const now = 10 * CRASH_WINDOW_MS;
    const spread = Array.from({ length: 20 }, (_, i) => now - i * CRASH_WINDOW_MS).reverse();
    expect(tooManyCrashes(spread, now)).toBe(false);
    const burst = Array.from({ length: CRASHES_ALLOWED }, (_, i) => now - i * 1000);
    expect(tooManyCrashes(burst, now)).toBe(false);
    expect(tooManyCrashes([...burst, now], now)).toBe(true);
    expect(tooManyCrashes([...burst, now], now + CRASH_WINDOW_MS)).toBe(false);
  });
});
