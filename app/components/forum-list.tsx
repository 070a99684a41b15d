import { Link } from "@remix-run/react";
import { useLang, useT } from "~/hooks";
import { formatDateTime } from "~/format";
import { ForumStatusBadge } from "./musrenbang";

/** A workspace's Musrenbang forums, newest year first, and the public tracker for its area. */
export function ForumList({
  forums,
  trackerHref,
}: {
  forums: { id: string; name: string; fiscalYear: number; status: string; opensAt: string | Date | null; proposals: number }[];
  trackerHref: string;
}) {
  const t = useT();
  const lang = useLang();
  return (
    <section className="card" data-testid="forums">
      <h2>{t("mus.forum.list")}</h2>
      {forums.length === 0 ? <p className="muted">{t("ws.next")}</p> : null}
      <ul>
        {forums.map((f) => (
          <li key={f.id}>
            <Link to={`/forum/${f.id}`}>
              {f.name} {f.fiscalYear}
            </Link>{" "}
            <ForumStatusBadge status={f.status} /> <span className="muted">{f.opensAt ? formatDateTime(f.opensAt, lang) : ""}</span> ·{" "}
            {f.proposals} {t("stage.unit.usulan")}
          </li>
        ))}
      </ul>
      <p>
        <Link to={trackerHref}>{t("mus.public.title")} →</Link>
      </p>
    </section>
  );
}
