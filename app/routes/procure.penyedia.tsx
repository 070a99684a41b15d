import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, readForm, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { blacklistVendor, registerVendor, systemClock, updateVendor, vendorDetail, vendorList } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton, errorProps } from "~/components/forms";
import { useT } from "~/hooks";
import { QUALIFICATIONS } from "../../domain/procurement/vocabulary";

/**
 * The vendor registry (penyedia) for the procurement unit (Pokja/UKPBJ) and the admin: search by name or
 * NPWP, register, edit (`?ubah=<id>`), and put a vendor on the blacklist for a period with its reason and
 * legal basis (`?hitam=<id>`); a blacklisted vendor shows until when.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "procure.vendor.manage");
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim();
  const db = await em();
  const tenant = config().tenant;
  const vendors = await vendorList(db, tenant, q, systemClock.now());
  const editing = await vendorDetail(db, tenant, url.searchParams.get("ubah") ?? "");
  const blacklisting = await vendorDetail(db, tenant, url.searchParams.get("hitam") ?? "");
  return json({ q, vendors, editing, blacklisting }, { headers: viewerHeaders(viewer) });
}

function vendorInput(form: FormData) {
  return {
    npwp: field(form, "npwp"),
    nib: field(form, "nib"),
    name: field(form, "name"),
    address: field(form, "address"),
    bankName: field(form, "bankName"),
    bankAccount: field(form, "bankAccount"),
    bankHolder: field(form, "bankHolder"),
    qualification: field(form, "qualification"),
    kbli: field(form, "kbli"),
  };
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guard(request, "procure.vendor.manage");
  const form = await readForm(request);
  const intent = field(form, "intent");
  const a = viewer.actor;
  const r = await runUseCase(request, async () => {
    const db = await em();
    if (intent === "register") return registerVendor(db, a, systemClock, vendorInput(form));
    if (intent === "update") return updateVendor(db, a, systemClock, field(form, "vendor"), vendorInput(form), Number(field(form, "version")));
    if (intent === "blacklist")
      return blacklistVendor(db, a, systemClock, field(form, "vendor"), {
        startsOn: field(form, "startsOn"),
        endsOn: field(form, "endsOn"),
        reason: field(form, "reason"),
        legalBasis: field(form, "legalBasis"),
      });
    throw new Response("unknown intent", { status: 400 });
  });
  const values = Object.fromEntries([...form.entries()].filter(([k, v]) => k !== "_csrf" && typeof v === "string")) as Record<string, string>;
  if (!r.ok) {
    const data = (await r.response.json()) as { message: string; fieldErrors: Record<string, string> };
    return json({ ok: false, intent, message: data.message, fieldErrors: data.fieldErrors, values }, { status: r.response.status });
  }
  return json({ ok: true, intent, message: tFor(request)(intent === "register" ? "procws.vendors.registered" : "mus.forum.saved"), fieldErrors: {} as Record<string, string>, values: {} as Record<string, string> });
}

type Vendor = { id: string; npwp: string; nib: string; name: string; address: string; bank_name: string; bank_account: string; bank_holder: string; qualification: string; kbli: string[]; version: number };
type Result = { ok: boolean; intent: string; message: string; fieldErrors: Record<string, string>; values: Record<string, string> } | undefined;

function VendorForm({ vendor, errs, vals }: { vendor: Vendor | null; errs: Record<string, string>; vals: Record<string, string> }) {
  const t = useT();
  const v = (name: string, current: string) => vals[name] ?? current;
  return (
    <PostForm className="form" noValidate>
      <input type="hidden" name="intent" value={vendor ? "update" : "register"} />
      {vendor ? (
        <>
          <input type="hidden" name="vendor" value={vendor.id} />
          <input type="hidden" name="version" value={vendor.version} />
        </>
      ) : null}
      <div className="grid2">
        <Field name="name" label={t("procws.vendors.name")} error={errs.name}>
          <input id="name" name="name" defaultValue={v("name", vendor?.name ?? "")} {...errorProps("name", errs.name)} />
        </Field>
        <Field name="npwp" label="NPWP" error={errs.npwp} help={t("procws.vendors.npwpHelp")}>
          <input id="npwp" name="npwp" inputMode="numeric" defaultValue={v("npwp", vendor?.npwp ?? "")} {...errorProps("npwp", errs.npwp)} />
        </Field>
        <Field name="nib" label="NIB" error={errs.nib}>
          <input id="nib" name="nib" inputMode="numeric" defaultValue={v("nib", vendor?.nib ?? "")} {...errorProps("nib", errs.nib)} />
        </Field>
        <Field name="qualification" label={t("procws.vendors.qualification")} error={errs.qualification}>
          <select id="qualification" name="qualification" defaultValue={v("qualification", vendor?.qualification ?? "kecil")}>
            {QUALIFICATIONS.map((q) => (
              <option key={q} value={q}>
                {t(`procure.qualification.${q}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field name="kbli" label="KBLI" error={errs.kbli} help={t("procws.vendors.kbliHelp")}>
          <input id="kbli" name="kbli" defaultValue={v("kbli", vendor?.kbli.join(", ") ?? "")} {...errorProps("kbli", errs.kbli)} />
        </Field>
        <Field name="address" label={t("procws.vendors.address")}>
          <input id="address" name="address" defaultValue={v("address", vendor?.address ?? "")} />
        </Field>
        <Field name="bankName" label={t("procws.vendors.bankName")}>
          <input id="bankName" name="bankName" defaultValue={v("bankName", vendor?.bank_name ?? "")} />
        </Field>
        <Field name="bankAccount" label={t("procws.vendors.bankAccount")} error={errs.bankAccount}>
          <input id="bankAccount" name="bankAccount" inputMode="numeric" defaultValue={v("bankAccount", vendor?.bank_account ?? "")} {...errorProps("bankAccount", errs.bankAccount)} />
        </Field>
        <Field name="bankHolder" label={t("procws.vendors.bankHolder")}>
          <input id="bankHolder" name="bankHolder" defaultValue={v("bankHolder", vendor?.bank_holder ?? "")} />
        </Field>
      </div>
      <SubmitButton>{t(vendor ? "procws.vendors.save" : "procws.vendors.register")}</SubmitButton>
    </PostForm>
  );
}

export default function VendorRegistry() {
  const { q, vendors, editing, blacklisting } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result;
  const t = useT();
  const errsFor = (intent: string) => (result && !result.ok && result.intent === intent ? result.fieldErrors : {});
  const valsFor = (intent: string) => (result && !result.ok && result.intent === intent ? result.values : {});
  return (
    <>
      <h1 data-testid="workspace-title">{t("procws.vendors.title")}</h1>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="q">{t("procws.vendors.search")}</label>
          <input id="q" name="q" type="search" defaultValue={q} />
        </div>
        <button className="button button--secondary" type="submit">
          {t("audit.filter")}
        </button>
      </Form>
      {editing ? (
        <section className="card" data-testid="edit-vendor">
          <h2>
            {t("procws.vendors.edit")}: {editing.name}
          </h2>
          <VendorForm vendor={editing} errs={errsFor("update")} vals={valsFor("update")} />
          <p>
            <Link to="/procure/penyedia">{t("procws.vendors.back")}</Link>
          </p>
        </section>
      ) : null}
      {blacklisting ? (
        <section className="card" data-testid="blacklist-vendor">
          <h2>
            {t("procws.vendors.blacklist")}: {blacklisting.name}
          </h2>
          {blacklisting.blacklisted_until ? <p className="notice notice--warn">{t("procws.vendors.blacklistedUntil", { until: blacklisting.blacklisted_until })}</p> : null}
          {blacklisting.sanctions.length ? (
            <ul data-testid="sanctions">
              {blacklisting.sanctions.map((s, i) => (
                <li key={i}>
                  {s.starts_on} – {s.ends_on}: {s.reason} <span className="muted">({s.legal_basis} · {s.recorded_by})</span>
                </li>
              ))}
            </ul>
          ) : null}
          <PostForm className="form" noValidate>
            <input type="hidden" name="intent" value="blacklist" />
            <input type="hidden" name="vendor" value={blacklisting.id} />
            <div className="grid2">
              <Field name="startsOn" label={t("procws.vendors.startsOn")} error={errsFor("blacklist").startsOn}>
                <input id="startsOn" name="startsOn" type="date" defaultValue={valsFor("blacklist").startsOn} {...errorProps("startsOn", errsFor("blacklist").startsOn)} />
              </Field>
              <Field name="endsOn" label={t("procws.vendors.endsOn")} error={errsFor("blacklist").endsOn}>
                <input id="endsOn" name="endsOn" type="date" defaultValue={valsFor("blacklist").endsOn} {...errorProps("endsOn", errsFor("blacklist").endsOn)} />
              </Field>
            </div>
            <Field name="reason" label={t("procws.reason")} error={errsFor("blacklist").reason}>
              <textarea id="reason" name="reason" rows={2} defaultValue={valsFor("blacklist").reason} />
            </Field>
            <Field name="legalBasis" label={t("procws.vendors.legalBasis")} error={errsFor("blacklist").legalBasis} help={t("procws.vendors.legalBasisHelp")}>
              <input id="legalBasis" name="legalBasis" defaultValue={valsFor("blacklist").legalBasis} {...errorProps("legalBasis", errsFor("blacklist").legalBasis)} />
            </Field>
            <SubmitButton className="button button--danger">{t("procws.vendors.blacklist")}</SubmitButton>
          </PostForm>
          <p>
            <Link to="/procure/penyedia">{t("procws.vendors.back")}</Link>
          </p>
        </section>
      ) : null}
      <section className="card" data-testid="vendors">
        <h2>{t("procws.vendors.list", { n: vendors.length })}</h2>
        {vendors.length === 0 ? (
          <p className="muted">{t("procws.vendors.none")}</p>
        ) : (
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th>{t("procws.vendors.name")}</th>
                  <th>NPWP</th>
                  <th>{t("procws.vendors.qualification")}</th>
                  <th>{t("procws.col.status")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {vendors.map((v) => (
                  <tr key={v.id} data-testid={`vendor-${v.npwp}`}>
                    <td>
                      {v.name}
                      {v.address ? <div className="muted">{v.address}</div> : null}
                    </td>
                    <td>{v.npwp}</td>
                    <td>{t(`procure.qualification.${v.qualification}`)}</td>
                    <td>{v.blacklisted_until ? <span className="badge badge--bad">{t("procws.vendors.blacklistedUntil", { until: v.blacklisted_until })}</span> : <span className="badge badge--ok">{t("procws.vendors.active")}</span>}</td>
                    <td>
                      <Link to={`?ubah=${v.id}${q ? `&q=${encodeURIComponent(q)}` : ""}`}>{t("procws.vendors.edit")}</Link> ·{" "}
                      <Link to={`?hitam=${v.id}${q ? `&q=${encodeURIComponent(q)}` : ""}`}>{t("procws.vendors.blacklist")}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="card" data-testid="register-vendor">
        <h2>{t("procws.vendors.register")}</h2>
        <VendorForm vendor={null} errs={errsFor("register")} vals={valsFor("register")} />
      </section>
    </>
  );
}
