import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { can, findOpdByCode, openOpdRka, openRka, opdBudget, systemClock } from "~/domain.server";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

const yearOf = (request: Request) => Number(new URL(request.url).searchParams.get("tahun")) || new Date().getUTCFullYear() + 1;

/** An OPD's budget for a year: each sub-activity with its KUA-PPAS ceiling and its RKA (status, total); its revenue and financing RKA. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const kode = params.kode ?? "";
  const viewer = await guard(request, "budget.view", { opd: kode });
  const db = await em();
  const opd = await findOpdByCode(db, kode);
  if (!opd) throw refuse(404, "opd.unknown", { code: kode });
  const year = yearOf(request);
  const edits = can(viewer.actor, "budget.rka.edit", { tenant: config().tenant, opd: kode });
  return json({ opd, year, edits, ...(await opdBudget(db, config().tenant, year, kode)) }, { headers: viewerHeaders(viewer) });
}

/** The OPD opens the RKA of a sub-activity (or its revenue/financing RKA) and goes to its editor. */
export async function action({ request, params }: ActionFunctionArgs) {
  const kode = params.kode ?? "";
  const viewer = await guard(request, "budget.view", { opd: kode });
  const form = await readForm(request);
  const kind = field(form, "kind");
  const r = await runUseCase(request, async () =>
    kind === "pendapatan" || kind === "pembiayaan"
      ? openOpdRka(await em(), viewer.actor, systemClock, yearOf(request), kode, kind)
      : openRka(await em(), viewer.actor, systemClock, field(form, "sub")),
  );
  if (!r.ok) return r.response;
  return redirect(`/budget/rka/${r.value}`);
}

export default function OpdBudget() {
  const { opd, year, edits, subs, other, ceiling, total } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { message?: string } | undefined;
  const t = useT();
  return (
    <>
      <h1 data-testid="workspace-title">
        {t("rka.title")} {year} — {opd.name}
      </h1>
      <p>
        {t("rka.ceiling")}: <strong>{formatRupiah(ceiling)}</strong> · {t("rka.total")}: <strong data-testid="opd-total">{formatRupiah(total)}</strong>
      </p>
      <FormMessage message={result?.message} />
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>{t("rkpd.subActivity")}</th>
              <th className="num">{t("kua.ceiling")}</th>
              <th className="num">{t("rka.total")}</th>
              <th>{t("rka.title")}</th>
            </tr>
          </thead>
          <tbody>
            {subs.map((s) => (
              <tr key={s.sub_id} data-testid={`sub-${s.code}`}>
                <td>
                  {s.code} {s.name}
                </td>
                <td className="num">{s.ceiling ? formatRupiah(s.ceiling) : "—"}</td>
                <td className="num">{s.total ? formatRupiah(s.total) : "—"}</td>
                <td>
                  {s.rka_id ? (
                    <Link to={`/budget/rka/${s.rka_id}`}>{t(`rka.status.${s.status}`)}</Link>
                  ) : edits ? (
                    <PostForm className="inline-form">
                      <input type="hidden" name="sub" value={s.sub_id} />
                      <SubmitButton className="button button--secondary">{t("rka.open")}</SubmitButton>
                    </PostForm>
                  ) : (
                    t("rka.status.none")
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <section className="card">
        {(["pendapatan", "pembiayaan"] as const).map((kind) => {
          const r = other.find((o) => o.kind === kind);
          return (
            <p key={kind}>
              {t(kind === "pendapatan" ? "rka.revenue" : "rka.financing")}:{" "}
              {r ? (
                <Link to={`/budget/rka/${r.id}`}>
                  {t(`rka.status.${r.status}`)} · {formatRupiah(r.total)}
                </Link>
              ) : edits ? (
                <PostForm className="inline-form">
                  <input type="hidden" name="kind" value={kind} />
                  <SubmitButton className="button button--secondary">{t("rka.open")}</SubmitButton>
                </PostForm>
              ) : (
                t("rka.status.none")
              )}
            </p>
          );
        })}
      </section>
    </>
  );
}
