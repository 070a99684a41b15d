import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { configureScoring, criteriaOf, systemClock } from "~/domain.server";
import { FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { useT } from "~/hooks";
import { SCORED_LEVELS } from "../../domain/musrenbang/vocabulary";

/** Scoring criteria, weights (summing to 100) and quota per forum level, for this tenant. */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "musrenbang.configure");
  const db = await em();
  const levels = await Promise.all(SCORED_LEVELS.map(async (level) => ({ level, ...(await criteriaOf(db, config().tenant, level)) })));
  return json({ levels }, { headers: viewerHeaders(viewer) });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guard(request, "musrenbang.configure");
  const form = await readForm(request);
  const criteria: { code: string; name: string; description: string; weight: string }[] = [];
  for (let i = 0; i < 12; i++)
    criteria.push({ code: field(form, `code.${i}`), name: field(form, `name.${i}`), description: field(form, `description.${i}`), weight: field(form, `weight.${i}`) });
  const level = field(form, "level");
  const r = await runUseCase(request, async () => configureScoring(await em(), viewer.actor, systemClock, level, { criteria, quota: field(form, "quota") }));
  if (!r.ok) return json({ ...(await r.response.json()), level }, { status: r.response.status });
  return json({ ok: true, level, message: tFor(request)("mus.forum.saved"), fieldErrors: {} });
}

export default function ScoringConfig() {
  const { levels } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; level?: string; message?: string; fieldErrors?: Record<string, string> } | undefined;
  const t = useT();
  return (
    <>
      <h1>Musrenbang: kriteria, bobot dan kuota</h1>
      {levels.map((l) => (
        <section key={l.level} className="card" data-level={l.level}>
          <h2>{t(`mus.level.${l.level}`)}</h2>
          {result?.level === l.level ? <FormMessage kind={result.ok ? "ok" : "error"} message={result.message} /> : null}
          {result?.level === l.level && result.fieldErrors
            ? Object.values(result.fieldErrors).map((m, i) => (
                <p key={i} className="field__error">
                  {m}
                </p>
              ))
            : null}
          <PostForm>
            <input type="hidden" name="level" value={l.level} />
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th>Kode</th>
                    <th>Nama</th>
                    <th>Keterangan</th>
                    <th>Bobot (%)</th>
                  </tr>
                </thead>
                <tbody>
                  {[...l.criteria, ...Array.from({ length: 2 }, () => ({ code: "", name: "", description: "", weight: "" }))].map((c, i) => (
                    <tr key={i}>
                      <td>
                        <input name={`code.${i}`} defaultValue={c.code} aria-label={`Kode ${i + 1}`} size={14} />
                      </td>
                      <td>
                        <input name={`name.${i}`} defaultValue={c.name} aria-label={`Nama ${i + 1}`} />
                      </td>
                      <td>
                        <input name={`description.${i}`} defaultValue={c.description} aria-label={`Keterangan ${i + 1}`} />
                      </td>
                      <td>
                        <input name={`weight.${i}`} defaultValue={c.weight} aria-label={`Bobot ${i + 1}`} inputMode="decimal" size={6} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <label>
              Kuota <input name="quota" defaultValue={l.quota} inputMode="numeric" size={5} />
            </label>{" "}
            <SubmitButton>{t("admin.users.save")}</SubmitButton>
          </PostForm>
        </section>
      ))}
    </>
  );
}
