import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { useT } from "~/hooks";

export function Breadcrumb({ items }: { items: { href?: string; label: string }[] }) {
  return (
    <nav aria-label="breadcrumb" className="breadcrumb">
      {items.map((it, i) => (
        <span key={i}>
          {i > 0 ? " › " : ""}
          {it.href ? <Link to={it.href}>{it.label}</Link> : it.label}
        </span>
      ))}
    </nav>
  );
}

export function PeopleList({ people }: { people: { username: string; display_name: string; role: string }[] }) {
  const t = useT();
  if (people.length === 0) return null;
  return (
    <section className="card">
      <h2>{t("ws.people")}</h2>
      <ul>
        {people.map((p) => (
          <li key={`${p.username}-${p.role}`}>
            {p.display_name} <span className="muted">({t(`role.${p.role}`)})</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function NextStages({ children }: { children?: ReactNode }) {
  const t = useT();
  return (
    <section className="card">
      <p className="muted">{t("ws.next")}</p>
      {children}
    </section>
  );
}
