import { useState } from "react";
import { useT } from "~/hooks";
import { Field, PostForm, SubmitButton, errorProps } from "./forms";
import { RegionPicker } from "./region-picker";
import { ROLES, ROLE_SCOPE, type Role } from "../../domain/identity/roles";

export interface UserFormValues {
  username?: string;
  displayName?: string;
  email?: string | null;
  active?: boolean;
  version?: number;
  assignments: { role: string; scopeCode: string }[];
}

/** The admin's user form: identity fields and any number of role + scope rows. */
export function UserForm({
  mode,
  values,
  opds,
  errors,
}: {
  mode: "create" | "edit";
  values: UserFormValues;
  opds: { code: string; name: string }[];
  errors: Record<string, string>;
}) {
  const t = useT();
  const [rows, setRows] = useState(values.assignments.length ? values.assignments : [{ role: "citizen", scopeCode: "" }]);
  const set = (i: number, patch: Partial<{ role: string; scopeCode: string }>) =>
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <PostForm className="form" noValidate>
      <input type="hidden" name="intent" value={mode} />
      {values.version !== undefined ? <input type="hidden" name="version" value={values.version} /> : null}
      {mode === "create" ? (
        <Field name="username" label={t("admin.users.username")} error={errors.username}>
          <input id="username" name="username" defaultValue={values.username} maxLength={40} autoCapitalize="none" {...errorProps("username", errors.username)} />
        </Field>
      ) : null}
      <Field name="displayName" label={t("admin.users.displayName")} error={errors.displayName}>
        <input id="displayName" name="displayName" defaultValue={values.displayName} maxLength={120} {...errorProps("displayName", errors.displayName)} />
      </Field>
      <Field name="email" label={t("admin.users.email")} error={errors.email}>
        <input id="email" name="email" type="email" defaultValue={values.email ?? ""} maxLength={200} {...errorProps("email", errors.email)} />
      </Field>
      {mode === "create" ? (
        <Field name="password" label={t("admin.users.password")} error={errors.password}>
          <input id="password" name="password" type="password" autoComplete="new-password" maxLength={128} {...errorProps("password", errors.password)} />
        </Field>
      ) : (
        <div className="field">
          <label className="check">
            <input type="checkbox" name="active" value="1" defaultChecked={values.active} /> {t("admin.users.active")}
          </label>
          {errors.active ? <p className="field__error">{errors.active}</p> : null}
        </div>
      )}
      <fieldset>
        <legend>{t("admin.users.roles")}</legend>
        <p className="field__help">{t("admin.users.scopeHelp")}</p>
        {errors.assignments ? <p className="field__error">{errors.assignments}</p> : null}
        {rows.map((r, i) => {
          const kind = ROLE_SCOPE[r.role as Role] ?? "tenant";
          const err = errors[`assignments.${i}`];
          return (
            <div className="role-row" key={i} data-row={i}>
              <div className="field">
                <label htmlFor={`role-${i}`}>{t("admin.users.role")}</label>
                <select id={`role-${i}`} name={`role.${i}`} value={r.role} onChange={(e) => set(i, { role: e.target.value, scopeCode: "" })}>
                  {ROLES.filter((role) => ROLE_SCOPE[role] !== "contract").map((role) => (
                    <option key={role} value={role}>
                      {t(`role.${role}`)}
                    </option>
                  ))}
                </select>
              </div>
              <div className="field">
                {kind === "desa" || kind === "kecamatan" ? (
                  <RegionPicker key={`${i}-${kind}`} name={`scope.${i}`} tingkat={kind} defaultValue={r.scopeCode} label={t(`scope.${kind}`)} error={err} />
                ) : kind === "opd" ? (
                  <>
                    <label htmlFor={`scope-${i}`}>{t("scope.opd")}</label>
                    <select id={`scope-${i}`} name={`scope.${i}`} defaultValue={r.scopeCode}>
                      <option value="">—</option>
                      {opds.map((o) => (
                        <option key={o.code} value={o.code}>
                          {o.name}
                        </option>
                      ))}
                    </select>
                    {err ? <p className="field__error">{err}</p> : null}
                  </>
                ) : kind === "vendor" ? (
                  <>
                    <label htmlFor={`scope-${i}`}>{t("scope.vendor")}</label>
                    <input id={`scope-${i}`} name={`scope.${i}`} defaultValue={r.scopeCode} />
                    {err ? <p className="field__error">{err}</p> : null}
                  </>
                ) : (
                  <>
                    <input type="hidden" name={`scope.${i}`} value="" />
                    <p className="muted">{t("scope.tenant")}</p>
                  </>
                )}
              </div>
              <button type="button" className="button button--secondary" onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
                {t("admin.users.removeRole")}
              </button>
            </div>
          );
        })}
        <button type="button" className="button button--secondary" onClick={() => setRows((rs) => [...rs, { role: "citizen", scopeCode: "" }])}>
          {t("admin.users.addRole")}
        </button>
      </fieldset>
      <p>
        <SubmitButton>{mode === "create" ? t("admin.users.create") : t("admin.users.save")}</SubmitButton>
      </p>
    </PostForm>
  );
}
