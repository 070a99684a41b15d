/**
 * A one-to-few-second cache of public pages for anonymous visitors ("microcaching"), so that a rush of
 * citizens on the home page or a tracker costs one render per second instead of one per request.
 *
 * Only a GET without a session cookie, and not conditional (If-None-Match / If-Modified-Since: the route
 * answers those, with a 304 when the client's copy is current), is served from it; only a response that declares itself
 * `Cache-Control: public`, has status 200 and sets no cookie is stored. Pages with per-visitor content
 * (forms with CSRF tokens, anything signed in) never declare `public`.
 */
export interface CachedResponse {
  status: number;
  headers: [string, string][];
  body: Buffer;
  expires: number;
}

export class MicroCache {
  private entries = new Map<string, CachedResponse>();
  constructor(
    private readonly maxSeconds: number,
    private readonly maxEntries = 500,
  ) {}

  /** The key for a request, or null when it must not be served from the cache. */
  keyFor(method: string, url: string, cookieHeader: string | undefined, conditional = false): string | null {
    if (this.maxSeconds <= 0 || method !== "GET" || conditional) return null;
    const cookies = cookieHeader ?? "";
    if (/(?:^|;\s*)jejak_session=/.test(cookies)) return null;
    const lang = /(?:^|;\s*)jejak_lang=(\w+)/.exec(cookies)?.[1] ?? "id";
    return `${lang} ${url}`;
  }

  get(key: string, now = Date.now()): CachedResponse | null {
    const hit = this.entries.get(key);
    if (!hit) return null;
    if (hit.expires <= now) {
      this.entries.delete(key);
      return null;
    }
    return hit;
  }

  /** How long a response may be shared (0: not at all). Decided from its headers, before reading the body. */
  ttlFor(status: number, headers: Headers): number {
    if (status !== 200 || headers.has("set-cookie")) return 0;
    const cc = headers.get("cache-control") ?? "";
    if (!/\bpublic\b/.test(cc) || /no-store|private/.test(cc)) return 0;
    if (Number(headers.get("content-length") ?? 0) > 2_000_000) return 0;
    // Pages and JSON only: downloads (Excel, bulk files) stream and are never buffered here.
    if (!/^(text\/html|application\/json)/.test(headers.get("content-type") ?? "")) return 0;
    return Math.min(Number(/max-age=(\d+)/.exec(cc)?.[1] ?? 0), this.maxSeconds);
  }

  /** Stores a response if it may be shared; returns whether it did. */
  offer(key: string, status: number, headers: Headers, body: Buffer, now = Date.now()): boolean {
    const ttl = this.ttlFor(status, headers);
    if (ttl <= 0) return false;
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { status, headers: [...headers.entries()], body, expires: now + ttl * 1000 });
    return true;
  }
}
