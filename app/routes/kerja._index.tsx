import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireViewer } from "~/session.server";
import { viewerHeaders } from "~/guard.server";
import { workspaceHref } from "~/workspaces";
import { useT } from "~/hooks";

/** The workspace hub: one card per role the user holds, each opening that role's workspace. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireViewer(request);
  const a = viewer.actor;
  return json(
    {
      name: a.displayName,
      items: a.assignments.map((x) => ({ role: x.role, scopeKind: x.scope.kind, scopeCode: x.scope.code, href: workspaceHref(x) })),
    },
    { headers: viewerHeaders(viewer) },
  );
}

export default function Hub() {
  const { name, items } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1>{t("workspace.greeting", { name })}</h1>
      <h2>{t("workspace.yourRoles")}</h2>
      <ul className="cards" style={{ listStyle: "none", padding: 0 }}>
        {items.map((it) => (
          <li key={`${it.role}-${it.scopeCode}`} className="card" data-role={it.role}>
            <strong>{t(`role.${it.role}`)}</strong>
            <p className="muted">
              {t("workspace.scope")}: {t(`scope.${it.scopeKind}`)} <code>{it.scopeCode}</code>
            </p>
            <Link className="button" to={it.href}>
              {t("workspace.open")}
            </Link>
          </li>
        ))}
      </ul>
    </>
  );
}
