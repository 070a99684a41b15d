import { sharedAnswers } from "../../../app/shared-answer.server";

describe("sharedAnswers", () => {
  it("prepares once for concurrent requests, serves the answer while fresh, and the previous one while a refresh runs", async () => {
    let maxAge = 60_000;
    const answer = sharedAnswers<number>({ label: "test", maxAgeMs: () => maxAge });
    let calls = 0;
    let release: (v: number) => void = () => {};
    const prepare = () => {
      calls++;
      return new Promise<number>((r) => (release = r));
    };
    const a = answer("k", prepare);
    const b = answer("k", prepare);
    release(1);
    expect([await a, await b, calls]).toEqual([1, 1, 1]);
    expect([await answer("k", prepare), calls]).toEqual([1, 1]); // fresh: not prepared again
    maxAge = 1; // now stale
    await new Promise((r) => setTimeout(r, 5));
    const stale = await answer("k", prepare); // a refresh starts; the previous answer is served meanwhile
    expect([stale, calls]).toEqual([1, 2]);
    release(2);
    await new Promise((r) => setTimeout(r, 0));
    maxAge = 60_000;
    expect(await answer("k", prepare)).toBe(2);
    // Another key is its own answer.
    const c = answer("other", prepare);
    release(3);
    expect(await c).toBe(3);
  });

  it("keeps the previous answer when a refresh fails, fails the first preparation's requests, and prepares every time at 0", async () => {
    let maxAge = 60_000;
    const answer = sharedAnswers<string>({ label: "test", maxAgeMs: () => maxAge });
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await expect(answer("k", () => Promise.reject(new Error("down")))).rejects.toThrow("down");
    expect(await answer("k", async () => "ok")).toBe("ok");
    maxAge = 1;
    await new Promise((r) => setTimeout(r, 5));
    expect(await answer("k", () => Promise.reject(new Error("down again")))).toBe("ok");
    await new Promise((r) => setTimeout(r, 0));
    expect(await answer("k", async () => "new")).toBe("ok"); // the failed refresh is over: a new one starts, "ok" meanwhile
    errors.mockRestore();
    maxAge = 0;
    let n = 0;
    expect([await answer("z", async () => String(++n)), await answer("z", async () => String(++n))]).toEqual(["1", "2"]);
  });
});
