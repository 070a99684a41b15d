import { useT } from "~/hooks";
import { PostForm, SubmitButton } from "./forms";

/** The decisions one may take on a proposal here (verify, reject, merge, accept, transfer, not adopt). */
export function DecisionForms({
  id,
  version,
  actions,
  back,
  others = [],
  opds = [],
}: {
  id: string;
  /** The version the page showed: a decision on a proposal changed meanwhile is refused (409). */
  version: number;
  actions: string[];
  back: string;
  others?: { id: string; code: string; title: string }[];
  opds?: { code: string; name: string }[];
}) {
  const t = useT();
  const simple = actions.filter((a) => a === "verify");
  const withReason = actions.filter((a) => a === "reject" || a === "notAdopt");
  return (
    <div className="actions">
      {simple.map((a) => (
        <PostForm key={a} action={`/usulan/${id}/tindak`}>
          <input type="hidden" name="intent" value={a} />
          <input type="hidden" name="back" value={back} />
            <input type="hidden" name="version" value={version} />
          <SubmitButton className="button button--secondary">{t(`mus.action.${a}`)}</SubmitButton>
        </PostForm>
      ))}
      {withReason.map((a) => (
        <details key={a} className="decide">
          <summary>{t(`mus.action.${a}`)}</summary>
          <PostForm action={`/usulan/${id}/tindak`}>
            <input type="hidden" name="intent" value={a} />
            <input type="hidden" name="back" value={back} />
            <input type="hidden" name="version" value={version} />
            <label>
              {t("mus.field.reason")}
              <textarea name="reason" rows={2} minLength={10} maxLength={2000} required />
            </label>
            <SubmitButton className="button">{t(`mus.action.${a}`)}</SubmitButton>
          </PostForm>
        </details>
      ))}
      {actions.includes("merge") && others.length ? (
        <details className="decide">
          <summary>{t("mus.action.merge")}</summary>
          <PostForm action={`/usulan/${id}/tindak`}>
            <input type="hidden" name="intent" value="merge" />
            <input type="hidden" name="back" value={back} />
            <input type="hidden" name="version" value={version} />
            <label>
              {t("mus.field.into")}
              <select name="into">
                {others.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.code} — {o.title}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("mus.field.reason")}
              <input name="reason" maxLength={2000} />
            </label>
            <SubmitButton className="button">{t("mus.action.merge")}</SubmitButton>
          </PostForm>
        </details>
      ) : null}
      {actions.includes("accept") ? (
        <details className="decide">
          <summary>{t("mus.action.accept")}</summary>
          <PostForm action={`/usulan/${id}/tindak`}>
            <input type="hidden" name="intent" value="accept" />
            <input type="hidden" name="back" value={back} />
            <input type="hidden" name="version" value={version} />
            <label>
              {t("mus.field.subKegiatan")}
              <input name="subKegiatan" maxLength={300} required />
            </label>
            <label>
              {t("mus.field.note")}
              <input name="reason" maxLength={2000} />
            </label>
            <SubmitButton className="button">{t("mus.action.accept")}</SubmitButton>
          </PostForm>
        </details>
      ) : null}
      {actions.includes("transfer") && opds.length ? (
        <details className="decide">
          <summary>{t("mus.action.transfer")}</summary>
          <PostForm action={`/usulan/${id}/tindak`}>
            <input type="hidden" name="intent" value="transfer" />
            <input type="hidden" name="back" value={back} />
            <input type="hidden" name="version" value={version} />
            <label>
              {t("mus.field.opd")}
              <select name="opd">
                {opds.map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("mus.field.reason")}
              <textarea name="reason" rows={2} minLength={10} maxLength={2000} required />
            </label>
            <SubmitButton className="button">{t("mus.action.transfer")}</SubmitButton>
          </PostForm>
        </details>
      ) : null}
    </div>
  );
}
