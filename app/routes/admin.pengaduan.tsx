import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, refuse, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { systemClock } from "~/domain.server";
import { formatDate } from "~/format";
import { Field, FormMessage, PostForm, SubmitButton, errorProps } from "~/components/forms";
import { useLang, useT } from "~/hooks";
import type { Lang } from "~/i18n";
import {
  TENANT_HOLIDAY_KINDS,
  addHoliday,
  changeHoliday,
  complaintSettings,
  holidayYears,
  removeHoliday,
  resetComplaintCategory,
  saveComplaintCategory,
  wibDay,
} from "~/pengaduan.server";
import type { CategorySetting, HolidaySetting } from "../../domain/oversight/settings";

export const meta: MetaFunction = () => [{ title: "Pengaduan: kategori dan hari libur — Jejak" }];

/**
 * The tenant admin's settings for citizen reports: the complaint categories (SLA in working days, order,
 * active) over the national defaults, and the tenant's own holidays; the year's national holidays read-only.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "oversight.configure");
  const current = Number(wibDay(systemClock.now()).slice(0, 4));
  const asked = Number(new URL(request.url).searchParams.get("tahun"));
  const year = Number.isInteger(asked) && asked >= 2000 && asked <= 2100 ? asked : current;
  const db = await em();
  const [settings, years] = await Promise.all([complaintSettings(db, viewer.actor, year), holidayYears(db, viewer.actor.tenant, current)]);
  return json({ ...settings, year, years: [...new Set([...years, year])].sort((a, b) => a - b), kinds: TENANT_HOLIDAY_KINDS }, { headers: viewerHeaders(viewer) });
}

type Result = { ok?: boolean; intent?: string; target?: string; message?: string; fieldErrors?: Record<string, string> };

const INTENT_DONE: Record<string, string> = {
  saveCategory: "admin.pengaduan.saved",
  resetCategory: "admin.pengaduan.resetDone",
  removeCategory: "admin.pengaduan.removed",
  addHoliday: "admin.pengaduan.holidayAdded",
  changeHoliday: "admin.pengaduan.holidayChanged",
  removeHoliday: "admin.pengaduan.holidayRemoved",
};

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guard(request, "oversight.configure");
  const form = await readForm(request);
  const intent = field(form, "intent");
  // Which form on the page answered: a category's code, a holiday's day, or "new".
  const target = field(form, "target") || "new";
  const version = Number.parseInt(field(form, "version"), 10) || 0;
  const clock = systemClock;
  const r = await runUseCase(request, async () => {
    const db = await em();
    switch (intent) {
      case "saveCategory":
        return void (await saveComplaintCategory(db, viewer.actor, clock, {
          code: field(form, "code"),
          name: field(form, "name"),
          slaDays: field(form, "slaDays"),
          position: field(form, "position"),
          active: field(form, "active") === "1",
          expectedVersion: version,
        }));
      case "resetCategory":
      case "removeCategory":
        return resetComplaintCategory(db, viewer.actor, clock, field(form, "code"), version);
      case "addHoliday":
        return addHoliday(db, viewer.actor, clock, { day: field(form, "day"), name: field(form, "name"), kind: field(form, "kind") });
      case "changeHoliday":
        return changeHoliday(db, viewer.actor, clock, { day: field(form, "day"), name: field(form, "name"), kind: field(form, "kind"), expectedVersion: version });
      case "removeHoliday":
        return removeHoliday(db, viewer.actor, clock, field(form, "day"), version);
      default:
        throw refuse(400, "form.malformed");
    }
  });
  if (!r.ok) return json({ ...(await r.response.json()), intent, target } as Result, { status: r.response.status });
  return json({ ok: true, intent, target, message: tFor(request)(INTENT_DONE[intent]), fieldErrors: {} } as Result);
}

/** The answer to a submission, when it belongs to this form. */
function resultFor(result: Result | undefined, intents: string[], target: string): Result | null {
  return result && intents.includes(result.intent ?? "") && result.target === target ? result : null;
}

export default function ComplaintSettings() {
  const { categories, holidays, national, year, years, kinds } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const t = useT();
  const lang = useLang();
  const added = resultFor(result, ["saveCategory"], "new");
  const addedHoliday = resultFor(result, ["addHoliday"], "new");
  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin">Admin</Link>
      </p>
      <h1>{t("admin.pengaduan.title")}</h1>
      <p>{t("admin.pengaduan.intro")}</p>

      <h2>{t("admin.pengaduan.categories")}</h2>
      <p className="notice" data-testid="sla-note">
        {t("admin.pengaduan.slaNote")}
      </p>
      <div className="cards">
        {categories.map((c) => (
          <CategoryCard key={c.code} c={c} result={resultFor(result, ["saveCategory", "resetCategory", "removeCategory"], c.code)} />
        ))}
        <section className="card" data-testid="category-new">
          <h3>{t("admin.pengaduan.new")}</h3>
          {added ? <FormMessage kind={added.ok ? "ok" : "error"} message={added.message} /> : null}
          <PostForm className="form" key={added?.ok ? "reset" : "keep"}>
            <input type="hidden" name="intent" value="saveCategory" />
            <input type="hidden" name="target" value="new" />
            <input type="hidden" name="version" value="0" />
            <CategoryFields prefix="new" errs={added?.ok ? {} : (added?.fieldErrors ?? {})} withCode />
            <SubmitButton>{t("admin.pengaduan.add")}</SubmitButton>
          </PostForm>
        </section>
      </div>

      <h2>{t("admin.pengaduan.holidays", { year })}</h2>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="tahun">{t("admin.pengaduan.year")}</label>
          <select id="tahun" name="tahun" defaultValue={year}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <button className="button button--secondary" type="submit">
          {t("admin.pengaduan.show")}
        </button>
      </Form>
      <p className="notice">{t("admin.pengaduan.holidayNote")}</p>
      {holidays.length === 0 ? <p className="muted">{t("admin.pengaduan.noHolidays")}</p> : null}
      <div className="cards" data-testid="holidays">
        {holidays.map((h) => (
          <HolidayCard key={h.day} h={h} kinds={kinds} lang={lang} result={resultFor(result, ["changeHoliday", "removeHoliday"], h.day)} />
        ))}
        <section className="card" data-testid="holiday-new">
          <h3>{t("admin.pengaduan.addHoliday")}</h3>
          {addedHoliday ? <FormMessage kind={addedHoliday.ok ? "ok" : "error"} message={addedHoliday.message} /> : null}
          <PostForm className="form" key={addedHoliday?.ok ? "reset" : "keep"}>
            <input type="hidden" name="intent" value="addHoliday" />
            <input type="hidden" name="target" value="new" />
            <Field name="holiday-new-day" label={t("admin.pengaduan.day")} error={addedHoliday?.fieldErrors?.day}>
              <input id="holiday-new-day" name="day" type="date" required {...errorProps("holiday-new-day", addedHoliday?.fieldErrors?.day)} />
            </Field>
            <HolidayFields prefix="holiday-new" kinds={kinds} errs={addedHoliday?.ok ? {} : (addedHoliday?.fieldErrors ?? {})} />
            <SubmitButton>{t("admin.pengaduan.addHoliday")}</SubmitButton>
          </PostForm>
        </section>
      </div>

      <h2>{t("admin.pengaduan.national", { year })}</h2>
      <p className="muted">{t("admin.pengaduan.nationalNote")}</p>
      {national.length === 0 ? (
        <p className="muted">{t("admin.pengaduan.noNational")}</p>
      ) : (
        <div className="table-wrap">
          <table className="data" data-testid="national-holidays">
            <thead>
              <tr>
                <th>{t("admin.pengaduan.day")}</th>
                <th>{t("admin.pengaduan.holidayName")}</th>
                <th>{t("admin.pengaduan.kind")}</th>
              </tr>
            </thead>
            <tbody>
              {national.map((h) => (
                <tr key={h.day}>
                  <td>{formatDate(h.day, lang)}</td>
                  <td>{h.name}</td>
                  <td>{t(`admin.pengaduan.kind.${h.kind}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function CategoryFields({ prefix, c, errs, withCode }: { prefix: string; c?: CategorySetting; errs: Record<string, string>; withCode?: boolean }) {
  const t = useT();
  const id = (f: string) => `${prefix}-${f}`;
  return (
    <>
      {withCode ? (
        <Field name={id("code")} label={t("admin.pengaduan.code")} error={errs.code}>
          <input id={id("code")} name="code" required pattern="[a-z_]{2,40}" maxLength={40} {...errorProps(id("code"), errs.code)} />
        </Field>
      ) : null}
      <Field name={id("name")} label={t("admin.pengaduan.name")} error={errs.name}>
        <input id={id("name")} name="name" required maxLength={80} defaultValue={c?.name ?? ""} {...errorProps(id("name"), errs.name)} />
      </Field>
      <Field name={id("slaDays")} label={t("admin.pengaduan.slaDays")} error={errs.slaDays}>
        <input id={id("slaDays")} name="slaDays" inputMode="numeric" required size={5} defaultValue={c?.slaDays ?? ""} {...errorProps(id("slaDays"), errs.slaDays)} />
      </Field>
      <Field name={id("position")} label={t("admin.pengaduan.position")} error={errs.position}>
        <input id={id("position")} name="position" inputMode="numeric" size={5} defaultValue={c?.position ?? 10} {...errorProps(id("position"), errs.position)} />
      </Field>
      <label className="checkbox">
        <input type="checkbox" name="active" value="1" defaultChecked={c?.active ?? true} /> {t("admin.pengaduan.active")}
      </label>
      {errs.active ? <p className="field__error">{errs.active}</p> : null}
    </>
  );
}

function CategoryCard({ c, result }: { c: CategorySetting; result: Result | null }) {
  const t = useT();
  const errs = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  const origin =
    c.origin === "override" && c.national
      ? t("admin.pengaduan.origin.override", { name: c.national.name, days: c.national.slaDays })
      : t(`admin.pengaduan.origin.${c.origin}`);
  return (
    <section className="card" data-testid={`category-${c.code}`}>
      <h3>
        {c.name} <span className="muted code">{c.code}</span>
      </h3>
      <p className="muted">
        <span className="tag">{origin}</span> {c.active ? null : <span className="tag">{t("admin.pengaduan.inactive")}</span>} {t("admin.pengaduan.reports", { n: c.reports })}
      </p>
      {result ? <FormMessage kind={result.ok ? "ok" : "error"} message={result.message} /> : null}
      {/* The key makes a saved form show the stored values (and the new version) instead of what was typed. */}
      <PostForm className="form" key={`${c.code}-${c.version}`}>
        <input type="hidden" name="intent" value="saveCategory" />
        <input type="hidden" name="target" value={c.code} />
        <input type="hidden" name="code" value={c.code} />
        <input type="hidden" name="version" value={c.version} />
        <CategoryFields prefix={`category-${c.code}`} c={c} errs={errs} />
        <SubmitButton>{t("admin.pengaduan.save")}</SubmitButton>
      </PostForm>
      {c.origin === "override" || (c.origin === "own" && c.reports === 0) ? (
        <PostForm className="form">
          <input type="hidden" name="intent" value={c.origin === "override" ? "resetCategory" : "removeCategory"} />
          <input type="hidden" name="target" value={c.code} />
          <input type="hidden" name="code" value={c.code} />
          <input type="hidden" name="version" value={c.version} />
          <SubmitButton className="button button--secondary">{t(c.origin === "override" ? "admin.pengaduan.reset" : "admin.pengaduan.remove")}</SubmitButton>
        </PostForm>
      ) : null}
    </section>
  );
}

function HolidayFields({ prefix, h, kinds, errs }: { prefix: string; h?: HolidaySetting; kinds: readonly string[]; errs: Record<string, string> }) {
  const t = useT();
  const id = (f: string) => `${prefix}-${f}`;
  return (
    <>
      <Field name={id("name")} label={t("admin.pengaduan.holidayName")} error={errs.name}>
        <input id={id("name")} name="name" required maxLength={120} defaultValue={h?.name ?? ""} {...errorProps(id("name"), errs.name)} />
      </Field>
      <Field name={id("kind")} label={t("admin.pengaduan.kind")} error={errs.kind}>
        <select id={id("kind")} name="kind" defaultValue={h?.kind ?? "libur_daerah"} {...errorProps(id("kind"), errs.kind)}>
          {kinds.map((k) => (
            <option key={k} value={k}>
              {t(`admin.pengaduan.kind.${k}`)}
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}

function HolidayCard({ h, kinds, lang, result }: { h: HolidaySetting; kinds: readonly string[]; lang: Lang; result: Result | null }) {
  const t = useT();
  const errs = result && !result.ok ? (result.fieldErrors ?? {}) : {};
  return (
    <section className="card" data-testid={`holiday-${h.day}`}>
      <h3>{formatDate(h.day, lang)}</h3>
      {result ? <FormMessage kind={result.ok ? "ok" : "error"} message={result.message} /> : null}
      <PostForm className="form" key={`${h.day}-${h.version}`}>
        <input type="hidden" name="intent" value="changeHoliday" />
        <input type="hidden" name="target" value={h.day} />
        <input type="hidden" name="day" value={h.day} />
        <input type="hidden" name="version" value={h.version} />
        <HolidayFields prefix={`holiday-${h.day}`} h={h} kinds={kinds} errs={errs} />
        <SubmitButton>{t("admin.pengaduan.save")}</SubmitButton>
      </PostForm>
      <PostForm className="form">
        <input type="hidden" name="intent" value="removeHoliday" />
        <input type="hidden" name="target" value={h.day} />
        <input type="hidden" name="day" value={h.day} />
        <input type="hidden" name="version" value={h.version} />
        <SubmitButton className="button button--secondary">{t("admin.pengaduan.removeHoliday")}</SubmitButton>
      </PostForm>
    </section>
  );
}
