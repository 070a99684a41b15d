import { useMatches, useRouteLoaderData } from "@remix-run/react";
import { translator, type Lang, type T } from "./i18n";

export interface RootData {
  map: { tileUrl: string; attribution: string; center: [number, number]; zoom: number };
  flash: { kind: "ok" | "error"; message: string } | null;
  lang: Lang;
  tenant: { code: string; name: string };
  csrf: string;
  viewer: { username: string; displayName: string; roles: string[]; isAdmin: boolean; canAudit: boolean } | null;
}

export function useRoot(): RootData {
  return useRouteLoaderData("root") as RootData;
}

export function useT(): T {
  const root = useRoot();
  return translator(root?.lang ?? "id");
}

export function useLang(): Lang {
  return useRoot()?.lang ?? "id";
}

/**
 * The CSRF token for this page's forms: the root's when signed in, otherwise the one a public page
 * with a form (login, a citizen's report) returned from its own loader as `csrf`.
 */
export function useCsrf(): string {
  const matches = useMatches();
  for (const m of [...matches].reverse()) {
    const csrf = (m.data as { csrf?: unknown } | undefined)?.csrf;
    if (typeof csrf === "string" && csrf) return csrf;
  }
  return "";
}
