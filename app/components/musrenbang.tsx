import { Link } from "@remix-run/react";
import { useLang, useT } from "~/hooks";
import { formatDateTime, formatRupiah } from "~/format";
import { Field, errorProps } from "./forms";
import { MapPicker } from "./map-picker";
import { BIDANG_URUSAN, COMMON_UNITS, KINDS, THEMATIC_GROUPS } from "../../domain/musrenbang/vocabulary";
import type { ProposalInput } from "../../domain/musrenbang/proposals";

const TONE: Record<string, string> = {
  adopted: "ok",
  accepted: "ok",
  verified: "ok",
  escalated: "info",
  opd_review: "info",
  submitted: "info",
  rejected: "bad",
  not_adopted: "bad",
  not_prioritised: "muted",
  withdrawn: "muted",
  merged: "muted",
};

export function StatusBadge({ status }: { status: string }) {
  const t = useT();
  return (
    <span className={`badge badge--${TONE[status] ?? "info"}`} data-status={status}>
      {t(`mus.status.${status}`)}
    </span>
  );
}

export function ForumStatusBadge({ status }: { status: string }) {
  const t = useT();
  return <span className={`badge badge--${status === "closed" ? "muted" : status === "planned" ? "info" : "ok"}`}>{t(`mus.forumStatus.${status}`)}</span>;
}

/** The form's values: a proposal as the domain takes it, every field optional while typing. */
export type ProposalValues = Partial<ProposalInput>;

/** The proposal fields, shared by the new, edit and pokir forms. */
export function ProposalFields({
  values,
  errors,
  opds,
  withDesa = false,
  withProposer = false,
}: {
  values: ProposalValues;
  errors: Record<string, string>;
  opds: { code: string; name: string }[];
  withDesa?: boolean;
  withProposer?: boolean;
}) {
  const t = useT();
  const input = (name: keyof ProposalValues, props: Record<string, unknown> = {}) => (
    <Field name={name} label={t(`mus.field.${name}`)} error={errors[name]}>
      <input id={name} name={name} defaultValue={values[name] ?? ""} {...errorProps(name, errors[name])} {...props} />
    </Field>
  );
  return (
    <>
      {withProposer ? input("proposer", { maxLength: 200 }) : null}
      {input("title", { maxLength: 200, required: true })}
      <Field name="problem" label={t("mus.field.problem")} error={errors.problem}>
        <textarea id="problem" name="problem" rows={4} maxLength={4000} defaultValue={values.problem ?? ""} {...errorProps("problem", errors.problem)} />
      </Field>
      <div className="grid2">
        <Field name="kind" label={t("mus.field.kind")} error={errors.kind}>
          <select id="kind" name="kind" defaultValue={values.kind ?? "fisik"}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`mus.kind.${k}`)}
              </option>
            ))}
          </select>
        </Field>
        <Field name="thematicGroup" label={t("mus.field.thematicGroup")} error={errors.thematicGroup}>
          <select id="thematicGroup" name="thematicGroup" defaultValue={values.thematicGroup ?? "prasarana_wilayah"}>
            {THEMATIC_GROUPS.map((g) => (
              <option key={g} value={g}>
                {t(`mus.theme.${g}`)}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <Field name="bidangUrusan" label={t("mus.field.bidangUrusan")} error={errors.bidangUrusan}>
        <select id="bidangUrusan" name="bidangUrusan" defaultValue={values.bidangUrusan ?? "1.03"}>
          {Object.entries(BIDANG_URUSAN).map(([code, name]) => (
            <option key={code} value={code}>
              {code} {name}
            </option>
          ))}
        </select>
      </Field>
      <Field name="targetOpd" label={t("mus.field.targetOpd")} error={errors.targetOpd}>
        <select id="targetOpd" name="targetOpd" defaultValue={values.targetOpd ?? ""} {...errorProps("targetOpd", errors.targetOpd)}>
          <option value="">—</option>
          {opds.map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      {withDesa ? input("desa", { placeholder: "35.22.15.1001", inputMode: "decimal" }) : null}
      {input("address", { maxLength: 300 })}
      <div className="grid2">
        {input("rt", { inputMode: "numeric", maxLength: 3 })}
        {input("rw", { inputMode: "numeric", maxLength: 3 })}
      </div>
      <fieldset>
        <legend>{t("mus.field.location")}</legend>
        <div className="grid2">
          {input("lat", { inputMode: "decimal", placeholder: "-7.2153" })}
          {input("lng", { inputMode: "decimal", placeholder: "111.8842" })}
        </div>
        <UseMyLocation />
        <MapPicker />
      </fieldset>
      <div className="grid2">
        {input("volume", { inputMode: "decimal", required: true })}
        <Field name="unit" label={t("mus.field.unit")} error={errors.unit}>
          <input id="unit" name="unit" list="units" defaultValue={values.unit ?? ""} maxLength={40} {...errorProps("unit", errors.unit)} />
          <datalist id="units">
            {COMMON_UNITS.map((u) => (
              <option key={u} value={u} />
            ))}
          </datalist>
        </Field>
      </div>
      <div className="grid2">
        {input("estimatedCost", { inputMode: "decimal", placeholder: "150.000.000" })}
        {input("beneficiaries", { inputMode: "numeric" })}
      </div>
    </>
  );
}

/** Fills the latitude/longitude fields from the phone's GPS (a point on the map, without tiles). */
function UseMyLocation() {
  const t = useT();
  return (
    <button
      type="button"
      className="button button--secondary"
      onClick={(e) => {
        const form = (e.currentTarget as HTMLButtonElement).form;
        navigator.geolocation?.getCurrentPosition((pos) => {
          const set = (n: string, v: number) => {
            const el = form?.elements.namedItem(n) as HTMLInputElement | null;
            if (el) el.value = v.toFixed(6);
          };
          set("lat", pos.coords.latitude);
          set("lng", pos.coords.longitude);
        });
      }}
    >
      {t("mus.field.pickOnMap")}
    </button>
  );
}

export function proposalValuesFrom(form: FormData): ProposalValues {
  const v: Record<string, string> = {};
  for (const k of ["title", "problem", "kind", "thematicGroup", "bidangUrusan", "targetOpd", "desa", "address", "rt", "rw", "lat", "lng", "volume", "unit", "estimatedCost", "beneficiaries", "proposer"])
    v[k] = String(form.get(k) ?? "");
  return v;
}

export interface TimelineEvent {
  id: string;
  at: string | Date;
  level: string;
  action: string;
  toStatus: string;
  actor: string;
  reason: string;
  details: Record<string, unknown>;
  forum: string | null;
}

/** A proposal's public timeline: what happened, where, when (WIB), by whom, and why. */
export function Timeline({ events }: { events: TimelineEvent[] }) {
  const t = useT();
  const lang = useLang();
  return (
    <ol className="timeline">
      {events.map((e) => (
        <li key={e.id} className="timeline__item" data-action={e.action}>
          <div className="timeline__when">
            {formatDateTime(e.at, lang)} · {t(`mus.level.${e.level}`)}
          </div>
          <div className="timeline__what">
            <strong>
              {typeof e.details.packageId === "string" && /^[0-9a-f-]{36}$/.test(e.details.packageId) ? (
                // Procurement steps ("tender", "contract") lead on to the package's public page.
                <Link to={`/pengadaan/${e.details.packageId}`}>{t(`mus.timeline.${e.action}`, { ...e.details, forum: e.forum ?? "" })}</Link>
              ) : (
                t(`mus.timeline.${e.action}`, { ...e.details, forum: e.forum ?? "" })
              )}
            </strong> <StatusBadge status={e.toStatus} />
          </div>
          {e.reason ? (
            <div className="timeline__reason">
              {t("mus.timeline.reason")}: {e.reason}
            </div>
          ) : null}
          <div className="muted">{t("mus.timeline.by", { actor: e.actor })}</div>
        </li>
      ))}
    </ol>
  );
}

export function ProposalLink({ id, code }: { id: string; code: string }) {
  return <Link to={`/usulan/${id}`}>{code}</Link>;
}

export const rupiah = formatRupiah;
