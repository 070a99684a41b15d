import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { kuaPpasView, setPpasCeiling, systemClock } from "~/domain.server";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { formatRupiah } from "~/format";
import { useT } from "~/hooks";

/** The KUA-PPAS ceilings of a year by OPD → programme → sub-activity; TAPD sets each while it is a draft. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guard(request, "workspace.budget");
  const kua = await kuaPpasView(await em(), config().tenant, Number(params.year));
  if (!kua) throw refuse(404, "budget.kua.notFound");
  return json({ kua }, { headers: viewerHeaders(viewer) });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guard(request, "workspace.budget");
  const form = await readForm(request);
  const r = await runUseCase(request, async () =>
    setPpasCeiling(await em(), viewer.actor, systemClock, field(form, "kua"), field(form, "sub"), field(form, "amount"), Number(field(form, "version"))),
  );
  if (!r.ok) return r.response;
  return json({ ok: true, message: tFor(request)("mus.forum.saved") });
}

export default function KuaCeilings() {
  const { kua } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string } | undefined;
  const t = useT();
  const draft = kua.status === "draft";
  return (
    <>
      <p className="breadcrumb">
        <Link to={`/budget?tahun=${kua.year}`}>{t("ws.budget.title")}</Link>
      </p>
      <h1 data-testid="workspace-title">
        {t("kua.title")} {kua.year} <span className="badge badge--info">{t(`kua.status.${kua.status}`)}</span>
      </h1>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>{t("rkpd.subActivity")}</th>
              <th className="num">{t("kua.indicative")}</th>
              <th className="num">{t("kua.ceiling")}</th>
            </tr>
          </thead>
          <tbody>
            {kua.opds.map((o) => [
              <tr key={o.code} className="row--group">
                <th>{o.name}</th>
                <th></th>
                <th className="num">{formatRupiah(o.total)}</th>
              </tr>,
              ...o.programs.map((p) => [
                <tr key={`${o.code}-${p.code}`} className="row--subgroup">
                  <td>
                    {p.code} {p.name}
                  </td>
                  <td></td>
                  <td className="num">{formatRupiah(p.total)}</td>
                </tr>,
                ...p.subs.map((s) => (
                  <tr key={s.sub_id}>
                    <td>
                      {s.code} {s.name}
                    </td>
                    <td className="num">{formatRupiah(s.indicative)}</td>
                    <td className="num">
                      {draft ? (
                        <PostForm className="inline-form">
                          <input type="hidden" name="kua" value={kua.id} />
                          <input type="hidden" name="sub" value={s.sub_id} />
                          <input type="hidden" name="version" value={kua.version} />
                          <input name="amount" defaultValue={s.amount} inputMode="decimal" aria-label={`${t("kua.ceiling")} ${s.code}`} size={16} />
                          <SubmitButton className="button button--secondary">{t("admin.users.save")}</SubmitButton>
                        </PostForm>
                      ) : (
                        formatRupiah(s.amount)
                      )}
                    </td>
                  </tr>
                )),
              ]),
            ])}
            <tr>
              <th>{t("rkpd.total")}</th>
              <th></th>
              <th className="num">{formatRupiah(kua.total)}</th>
            </tr>
          </tbody>
        </table>
      </div>
    </>
  );
}
