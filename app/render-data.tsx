import { createContext, useContext, type ReactNode } from "react";

/**
 * Render data for pages that ship no scripts (`handle.scripts === false`), handed from the loader to the
 * component outside the loader data.
 *
 * Remix turns every loader's data into JSON, parses it back and turns it into JSON again for the
 * hydration script, even when the page ships no scripts and that script is never written. For a page
 * of hundreds of rows (the RKA editor's 300 lines, about 100 KB of JSON) that round trip, and the
 * garbage it leaves, was a sixth of the server's CPU per page. Such a page's loader hands its big rows
 * over here instead: they ride on the request's load context (a fresh object per request, made by
 * server.ts), which the server entry (entry.server.tsx) gives to the page's components through a React
 * context. Nothing is serialized.
 *
 * Only on the server: in the browser the slot is empty. A page that ships no scripts is only ever
 * rendered there when a scripted page navigated to it on the client; root.tsx then reloads it as a
 * document, and the component shows `fallback` for that moment.
 */
const KEY = "jejakRenderData";

type Store = Record<string, unknown>;
const RenderData = createContext<Store | null>(null);

/** The server entry's provider: the request's load context carries what the loaders handed over. */
export function RenderDataProvider({ loadContext, children }: { loadContext: unknown; children: ReactNode }) {
  const store = ((loadContext as Record<string, unknown> | null | undefined)?.[KEY] as Store | undefined) ?? null;
  return <RenderData.Provider value={store}>{children}</RenderData.Provider>;
}

export interface RenderSlot<T> {
  /**
   * In a loader: hand the value to the page's component. False without a load context (a server other
   * than server.ts): the loader then sends the value in its data instead.
   */
  set(context: unknown, value: T): boolean;
  /** In a component: the value the loader handed over, or undefined in the browser. */
  use(): T | undefined;
  /** What a loader handed over in this load context (for tests). */
  get(context: unknown): T | undefined;
}

/** A named slot of render data, typed once for the loader and the component that share it. */
export function renderSlot<T>(name: string): RenderSlot<T> {
  return {
    set(context, value) {
      if (typeof context !== "object" || context === null) return false;
      const c = context as Record<string, unknown>;
      ((c[KEY] ??= {}) as Store)[name] = value;
      return true;
    },
    get(context) {
      return ((context as Record<string, unknown> | null | undefined)?.[KEY] as Store | undefined)?.[name] as T | undefined;
    },
    use() {
      return useContext(RenderData)?.[name] as T | undefined;
    },
  };
}
