/**
 * Answers that are costly to prepare and the same for every visitor (a year's map, the dashboard): each is
 * prepared at most once per `maxAgeMs` per key and shared by concurrent requests; once it is older, the next
 * request starts a fresh preparation and, until that is ready, the previous answer is still served (stale
 * while revalidating), so no visitor waits for it but the very first. A failed refresh leaves the previous
 * answer in place (and is logged); a failed first preparation fails its requests. `maxAgeMs` 0 prepares
 * every answer afresh (tests that watch a figure change).
 */
export function sharedAnswers<T>(opts: { label: string; maxAgeMs: () => number; maxEntries?: number }) {
  interface Entry {
    at: number;
    ready: T | null;
    running: Promise<T> | null;
  }
  const entries = new Map<string, Entry>();
  const maxEntries = opts.maxEntries ?? 200;
  return function answer(key: string, prepare: () => Promise<T>): Promise<T> {
    const maxAge = opts.maxAgeMs();
    if (maxAge <= 0) return prepare();
    let entry = entries.get(key);
    if (entry?.ready && Date.now() - entry.at < maxAge) return Promise.resolve(entry.ready);
    if (!entry) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entry = { at: 0, ready: null, running: null };
      entries.set(key, entry);
    }
    const e = entry;
    e.running ??= prepare()
      .then((v) => {
        Object.assign(e, { at: Date.now(), ready: v });
        return v;
      })
      .finally(() => {
        e.running = null;
      });
    e.running.catch((err) => console.error(`${opts.label}:`, err));
    return e.ready ? Promise.resolve(e.ready) : e.running;
  };
}
