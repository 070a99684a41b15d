import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { viewerHeaders } from "~/guard.server";
import { guardForum } from "~/musrenbang.server";
import { rankedList } from "~/domain.server";
import { formatDate, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";
import { Money } from "../../domain/kernel/money";

/**
 * The minutes (berita acara) of a forum, laid out for printing (the print stylesheet drops the site's
 * chrome): attendance, the ranked list, and the signatories. Before signing it is a draft of the same.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer } = await guardForum(request, params.id ?? "");
  const data = await rankedList(await em(), viewer.actor, params.id!);
  const total = Money.sum(data.list.map((r) => Money.idr(r.estimatedCost))).toString();
  return json({ forum: data.forum, criteria: data.criteria, list: data.list, total }, { headers: viewerHeaders(viewer) });
}

export default function Minutes() {
  const { forum, criteria, list, total } = useLoaderData<typeof loader>();
  const t = useT();
  const lang = useLang();
  const pct = forum.attendeesTotal ? ((100 * (forum.attendeesWomen ?? 0)) / forum.attendeesTotal).toFixed(1) : "0";
  return (
    <article className="minutes">
      <p className="no-print actions">
        <Link to={`/forum/${forum.id}`}>← {forum.name}</Link>
        <button type="button" className="button" onClick={() => window.print()}>
          {t("mus.forum.printMinutes")}
        </button>
        <a className="button button--secondary" href={`/forum/${forum.id}/peringkat.xlsx`}>
          {t("mus.forum.exportXlsx")}
        </a>
      </p>
      {forum.status !== "closed" ? <p className="notice notice--warn">DRAF — {t(`mus.forumStatus.${forum.status}`)}</p> : null}
      <h1 style={{ textAlign: "center" }}>{t("mus.minutes.title", { name: `${forum.name.toUpperCase()} TAHUN ${forum.fiscalYear}` })}</h1>
      <p>
        {t("mus.minutes.intro", {
          date: forum.signedAt ? formatDate(forum.signedAt, lang) : "……",
          name: forum.name,
          year: forum.fiscalYear,
          venue: forum.venue || "……",
          total: forum.attendeesTotal ?? "…",
          women: forum.attendeesWomen ?? "…",
        })}
      </p>
      {forum.attendeesTotal ? <p className="muted">{t("mus.forum.womenShare", { women: forum.attendeesWomen, total: forum.attendeesTotal, pct })}</p> : null}
      <table className="data">
        <thead>
          <tr>
            <th>{t("mus.field.rank")}</th>
            <th>{t("mus.field.code")}</th>
            <th>{t("mus.field.title")}</th>
            <th>{t("mus.field.location")}</th>
            <th>{t("mus.field.volume")}</th>
            <th className="num">{t("mus.field.cost")}</th>
            <th className="num">{t("mus.field.total")}</th>
            <th>{t("mus.field.status")}</th>
          </tr>
        </thead>
        <tbody>
          {list.map((r) => (
            <tr key={r.id}>
              <td className="num">{r.rank ?? "—"}</td>
              <td>{r.code}</td>
              <td>
                {r.title}
                <div className="muted">{r.opdName}</div>
              </td>
              <td>{r.desaName}</td>
              <td>
                {r.volume} {r.unit}
              </td>
              <td className="num">{formatRupiah(r.estimatedCost)}</td>
              <td className="num">{r.total ?? ""}</td>
              <td>{t(`mus.status.${r.status}`)}</td>
            </tr>
          ))}
          <tr>
            <th colSpan={5}>Jumlah</th>
            <th className="num">{formatRupiah(total)}</th>
            <th colSpan={2}></th>
          </tr>
        </tbody>
      </table>
      {criteria.length ? (
        <p className="muted">
          {criteria.map((c) => `${c.name} ${c.weight}%`).join(" · ")}
        </p>
      ) : null}
      {forum.minutesNotes ? <p>{forum.minutesNotes}</p> : null}
      <div className="print-sign">
        {(forum.signatories.length ? forum.signatories : [{ name: "", position: "" }, { name: "", position: "" }, { name: "", position: "" }]).map((s, i) => (
          <div key={i}>
            <div className="muted">{s.position || t("mus.minutes.signHere")}</div>
            <strong>{s.name}</strong>
          </div>
        ))}
      </div>
    </article>
  );
}
