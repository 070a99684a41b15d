import { useRouteLoaderData } from "@remix-run/react";
import { translator, type Lang, type T } from "./i18n";

export interface RootData {
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
