import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { guard, viewerHeaders } from "~/guard.server";
import { listOpds, listUsers } from "~/domain.server";
import { useT } from "~/hooks";

/** The admin's home: users with their roles and scopes, and the tenant's OPDs. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "admin.users.manage");
  const q = new URL(request.url).searchParams.get("q") ?? "";
  const db = await em();
  const [users, opds] = await Promise.all([listUsers(db, viewer.actor, q.slice(0, 60)), listOpds(db)]);
  return json({ users, opds, q }, { headers: viewerHeaders(viewer) });
}

export default function Admin() {
  const { users, opds, q } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <>
      <h1 data-testid="workspace-title">{t("admin.users.title")}</h1>
      <p>
        <Link className="button" to="/admin/users/new">
          {t("admin.users.new")}
        </Link>{" "}
        <Link className="button button--secondary" to="/admin/musrenbang">
          Musrenbang
        </Link>{" "}
        <Link className="button button--secondary" to="/admin/nomenklatur">
          Nomenklatur
        </Link>{" "}
        <Link className="button button--secondary" to="/admin/pengaduan">
          {t("admin.pengaduan.link")}
        </Link>
      </p>
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="q">{t("admin.users.search")}</label>
          <input id="q" name="q" defaultValue={q} type="search" />
        </div>
        <button className="button button--secondary" type="submit">
          {t("audit.filter")}
        </button>
      </Form>
      <p className="muted">{t("admin.users.count", { n: users.length })}</p>
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>{t("admin.users.username")}</th>
              <th>{t("admin.users.displayName")}</th>
              <th>{t("admin.users.roles")}</th>
              <th>{t("admin.users.active")}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>
                  <Link to={`/admin/users/${u.id}`}>{u.username}</Link>
                </td>
                <td>{u.displayName}</td>
                <td>
                  {u.assignments.map((a) => (
                    <span className="tag" key={`${a.role}-${a.scopeCode}`}>
                      {t(`role.${a.role}`)}
                      {a.scopeKind !== "tenant" ? ` · ${a.scopeCode}` : ""}
                    </span>
                  ))}
                </td>
                <td>{u.active ? t("admin.users.active") : t("admin.users.inactive")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>{t("admin.opds")}</h2>
      <ul>
        {opds.map((o) => (
          <li key={o.code}>
            {o.name} <span className="muted code">{o.code}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
