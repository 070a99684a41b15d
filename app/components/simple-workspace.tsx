import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { useT } from "~/hooks";
import { NextStages } from "./workspace";

interface Data {
  name: string;
  scopes: { role: string; kind: string; code: string; name: string }[];
  opds: { code: string; name: string }[];
}

export function SimpleWorkspace({ titleKey, showOpds = false, children }: { titleKey: string; showOpds?: boolean; children?: ReactNode }) {
  const { name, scopes, opds } = useLoaderData() as Data;
  const t = useT();
  return (
    <>
      <h1 data-testid="workspace-title">{t(titleKey)}</h1>
      <section className="card">
        <p>{t("workspace.greeting", { name })}</p>
        <ul>
          {scopes.map((s) => (
            <li key={`${s.role}-${s.code}`}>
              {t(`role.${s.role}`)} — {t(`scope.${s.kind}`)}: {s.kind === "tenant" ? "" : s.name}
            </li>
          ))}
        </ul>
      </section>
      {children}
      {showOpds ? (
        <section className="card">
          <h2>{t("ws.opdList")}</h2>
          <ul>
            {opds.map((o) => (
              <li key={o.code}>{o.name}</li>
            ))}
          </ul>
        </section>
      ) : null}
      <NextStages />
    </>
  );
}
