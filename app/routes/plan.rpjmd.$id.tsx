import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { addRpjmdGoal, addRpjmdIndicator, adoptRpjmd, linkRpjmdProgram, rpjmdView, systemClock } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { RpjmdTree } from "~/components/rpjmd-tree";
import { useT } from "~/hooks";

/** One RPJMD in Bappeda's workspace: while a draft, goals, indicators with yearly targets and programmes are added; then adopted. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await guard(request, "workspace.planning");
  const r = await rpjmdView(await em(), config().tenant, params.id ?? "").catch(() => null);
  if (!r) throw refuse(404, "planning.rpjmd.notFound");
  return json({ r }, { headers: viewerHeaders(viewer) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const viewer = await guard(request, "workspace.planning");
  const form = await readForm(request);
  const intent = field(form, "intent");
  const id = params.id ?? "";
  const r = await runUseCase(request, async () => {
    const db = await em();
    if (intent === "goal") return addRpjmdGoal(db, viewer.actor, systemClock, id, { mission: field(form, "mission"), code: field(form, "code"), text: field(form, "text") });
    if (intent === "indicator") {
      const targets = Object.fromEntries([...form.keys()].filter((k) => /^target\d{4}$/.test(k)).map((k) => [k.slice(6), field(form, k)]));
      return addRpjmdIndicator(db, viewer.actor, systemClock, field(form, "goal"), { name: field(form, "name"), unit: field(form, "unit"), baseline: field(form, "baseline"), targets });
    }
    if (intent === "program") return linkRpjmdProgram(db, viewer.actor, systemClock, field(form, "goal"), field(form, "program"));
    if (intent === "adopt") return adoptRpjmd(db, viewer.actor, systemClock, id, Number(field(form, "version")), field(form, "legalBasis"));
    throw new Response("unknown intent", { status: 400 });
  });
  if (!r.ok) return r.response;
  return json({ ok: true, message: tFor(request)("mus.forum.saved"), fieldErrors: {}, goal: field(form, "goal") });
}

export default function RpjmdPage() {
  const { r } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string; fieldErrors?: Record<string, string> } | undefined;
  const errs = result?.fieldErrors ?? {};
  const t = useT();
  const draft = r.status === "draft";
  const years = Array.from({ length: 5 }, (_, i) => r.startYear + i);
  return (
    <>
      <p className="breadcrumb">
        <Link to="/plan/rpjmd">{t("rpjmd.title")}</Link> · <Link to="/rpjmd">{t("mus.public.openData")}</Link>
      </p>
      <h1 data-testid="workspace-title">
        RPJMD {r.startYear}–{r.endYear} <span className="badge badge--info">{t(`rpjmd.status.${r.status}`)}</span>
      </h1>
      {r.legalBasis ? <p className="muted">{r.legalBasis}</p> : null}
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <RpjmdTree
        r={r}
        goalActions={
          draft
            ? (g) => (
                <div className="grid2">
                  <details className="card">
                    <summary>{t("rpjmd.addIndicator")}</summary>
                    <PostForm className="form" noValidate>
                      <input type="hidden" name="intent" value="indicator" />
                      <input type="hidden" name="goal" value={g.id} />
                      <Field name={`name-${g.id}`} label={t("rpjmd.indicator")}>
                        <input id={`name-${g.id}`} name="name" />
                      </Field>
                      <div className="grid2">
                        <Field name={`unit-${g.id}`} label={t("rpjmd.unit")}>
                          <input id={`unit-${g.id}`} name="unit" />
                        </Field>
                        <Field name={`baseline-${g.id}`} label={t("rpjmd.baseline")}>
                          <input id={`baseline-${g.id}`} name="baseline" inputMode="decimal" />
                        </Field>
                      </div>
                      <div className="grid5">
                        {years.map((y) => (
                          <Field key={y} name={`target${y}-${g.id}`} label={String(y)}>
                            <input id={`target${y}-${g.id}`} name={`target${y}`} inputMode="decimal" />
                          </Field>
                        ))}
                      </div>
                      <SubmitButton>{t("admin.users.save")}</SubmitButton>
                    </PostForm>
                  </details>
                  <details className="card">
                    <summary>{t("rpjmd.linkProgram")}</summary>
                    <PostForm className="form" noValidate>
                      <input type="hidden" name="intent" value="program" />
                      <input type="hidden" name="goal" value={g.id} />
                      <Field name={`program-${g.id}`} label="Program" help="1.03.10">
                        <input id={`program-${g.id}`} name="program" />
                      </Field>
                      <SubmitButton>{t("admin.users.save")}</SubmitButton>
                    </PostForm>
                  </details>
                </div>
              )
            : undefined
        }
      />
      {draft ? (
        <>
          <section className="card">
            <h2>{t("rpjmd.addGoal")}</h2>
            <PostForm className="form" noValidate>
              <input type="hidden" name="intent" value="goal" />
              <div className="grid2">
                <Field name="mission" label={t("rpjmd.mission")} error={errs.mission}>
                  <select id="mission" name="mission">
                    {r.missions.map((m) => (
                      <option key={m.number} value={m.number}>
                        {m.number}. {m.text}
                      </option>
                    ))}
                  </select>
                </Field>
                <Field name="code" label={t("rpjmd.goalCode")} error={errs.code}>
                  <input id="code" name="code" placeholder="1.1" />
                </Field>
              </div>
              <Field name="text" label={t("rpjmd.goal")} error={errs.text}>
                <textarea id="text" name="text" rows={2} />
              </Field>
              <SubmitButton>{t("admin.users.save")}</SubmitButton>
            </PostForm>
          </section>
          <section className="card">
            <PostForm className="form" noValidate>
              <input type="hidden" name="intent" value="adopt" />
              <input type="hidden" name="version" value={r.version} />
              <Field name="legalBasis" label={t("rpjmd.legalBasis")} error={errs.legalBasis}>
                <input id="legalBasis" name="legalBasis" defaultValue={r.legalBasis} placeholder="Perda Kabupaten Bojonegoro Nomor … Tahun …" />
              </Field>
              <SubmitButton>{t("rpjmd.adopt")}</SubmitButton>
            </PostForm>
          </section>
        </>
      ) : null}
    </>
  );
}
