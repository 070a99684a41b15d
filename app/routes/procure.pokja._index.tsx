import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guardSomewhere, viewerHeaders } from "~/guard.server";
import { field, readForm, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { flashCookie } from "~/flash.server";
import { assignPokja, pokjaTenders, systemClock } from "~/domain.server";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { formatDateTime, formatRupiah } from "~/format";
import { useLang, useT } from "~/hooks";

/**
 * The Pokja member's workspace: the tenders they are named to (live ones first), and the drafts the PPKs
 * have handed over that no Pokja has taken yet — taking one names the member to its Pokja.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guardSomewhere(request, "procure.tender.run");
  const tenders = await pokjaTenders(await em(), config().tenant, viewer.actor.userId ?? "");
  return json({ name: viewer.actor.displayName, tenders }, { headers: viewerHeaders(viewer) });
}

/** Takes a draft tender: the member becomes its Pokja (others are added on the tender page). */
export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guardSomewhere(request, "procure.tender.run");
  const form = await readForm(request);
  const tender = field(form, "tender");
  const r = await runUseCase(request, async () => assignPokja(await em(), viewer.actor, systemClock, tender, [viewer.actor.username]));
  if (!r.ok) return r.response;
  return redirect(`/procure/tender/${tender}`, { headers: { "Set-Cookie": flashCookie(request, { kind: "ok", message: tFor(request)("procws.pokja.taken") }) } });
}

export default function PokjaWorkspace() {
  const { name, tenders } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { message?: string } | undefined;
  const t = useT();
  const lang = useLang();
  const mine = tenders.filter((x) => x.mine);
  const open = tenders.filter((x) => !x.mine);
  return (
    <>
      <h1 data-testid="workspace-title">{t("procws.pokja.title")}</h1>
      <p className="muted">
        {name} · <Link to="/procure/penyedia">{t("procws.vendors.link")}</Link> · <Link to="/procure/impor">{t("procimp.link")}</Link>
      </p>
      <FormMessage message={result?.message} />
      <section className="card" data-testid="my-tenders">
        <h2>{t("procws.pokja.mine")}</h2>
        {mine.length === 0 ? (
          <p className="muted">{t("procws.pokja.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>{t("procws.col.tender")}</th>
                  <th>{t("procws.col.name")}</th>
                  <th>{t("procws.col.status")}</th>
                  <th className="num">HPS</th>
                  <th>{t("procws.tender.deadline")}</th>
                </tr>
              </thead>
              <tbody>
                {mine.map((x) => (
                  <tr key={x.id} data-testid={`tender-${x.id}`}>
                    <td>
                      <Link to={`/procure/tender/${x.id}`}>{x.code}</Link>
                      <div className="muted">{t(`procure.method.${x.method}`)}</div>
                    </td>
                    <td>
                      {x.package_name}
                      <div className="muted">
                        {x.opd_name} · {x.fiscal_year}
                        {x.kode_rup ? ` · RUP ${x.kode_rup}` : ""}
                      </div>
                    </td>
                    <td>{t(`procure.tenderStatus.${x.status}`)}</td>
                    <td className="num">{formatRupiah(x.hps)}</td>
                    <td>{x.bid_deadline ? formatDateTime(x.bid_deadline, lang) : "—"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" data-testid="unassigned-tenders">
        <h2>{t("procws.pokja.unassigned")}</h2>
        {open.length === 0 ? (
          <p className="muted">{t("procws.pokja.noneUnassigned")}</p>
        ) : (
          <ul>
            {open.map((x) => (
              <li key={x.id} data-testid={`draft-${x.id}`}>
                <Link to={`/procure/tender/${x.id}`}>
                  {x.code} · {x.package_name}
                </Link>{" "}
                <span className="muted">
                  {x.opd_name} · {t(`procure.method.${x.method}`)} · HPS {formatRupiah(x.hps)}
                </span>
                <PostForm className="inline-form">
                  <input type="hidden" name="tender" value={x.id} />
                  <SubmitButton className="button button--secondary">{t("procws.pokja.take")}</SubmitButton>
                </PostForm>
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}
