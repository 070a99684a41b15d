import { MicroCache } from "../../../app/microcache";

const h = (o: Record<string, string>) => new Headers({ "content-type": "text/html; charset=utf-8", ...o });

describe("microcache of public pages", () => {
  const cache = new MicroCache(2);

  it("serves only anonymous GETs, keyed by language and URL", () => {
    expect(cache.keyFor("GET", "/", undefined)).toBe("id /");
    expect(cache.keyFor("GET", "/?a=1", "jejak_csrf=x; jejak_lang=en")).toBe("en /?a=1");
    expect(cache.keyFor("GET", "/", "jejak_session=abc")).toBeNull();
    expect(cache.keyFor("POST", "/", undefined)).toBeNull();
    expect(new MicroCache(0).keyFor("GET", "/", undefined)).toBeNull();
    // A conditional request goes to the route, which answers 304 when the client's copy is current.
    expect(cache.keyFor("GET", "/api/ocds/records", undefined, true)).toBeNull();
  });

  it("stores only shareable 200s, for at most its own limit", () => {
    const body = Buffer.from("ok");
    expect(cache.offer("k1", 200, h({ "cache-control": "private, no-store" }), body, 0)).toBe(false);
    expect(cache.offer("k1", 200, h({ "cache-control": "public, max-age=10", "set-cookie": "a=b" }), body, 0)).toBe(false);
    expect(cache.offer("k1", 404, h({ "cache-control": "public, max-age=10" }), body, 0)).toBe(false);
    expect(cache.offer("k1", 200, h({ "cache-control": "public, max-age=10", "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" }), body, 0)).toBe(false);
    expect(cache.offer("k1", 200, h({ "cache-control": "public, max-age=10" }), body, 0)).toBe(true);
    expect(cache.get("k1", 1999)?.body.toString()).toBe("ok");
    expect(cache.get("k1", 2000)).toBeNull();
  });

  it("is bounded", () => {
    const small = new MicroCache(2, 2);
    for (const k of ["a", "b", "c"]) small.offer(k, 200, h({ "cache-control": "public, max-age=5" }), Buffer.from(k), 0);
    expect(small.get("a", 1)).toBeNull();
    expect(small.get("c", 1)?.body.toString()).toBe("c");
  });
});
