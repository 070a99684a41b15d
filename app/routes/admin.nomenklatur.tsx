import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { em } from "~/db.server";
import { guard, viewerHeaders } from "~/guard.server";
import { field, files, readForm, runUseCase } from "~/http.server";
import { tFor } from "~/lang.server";
import { importNomenclatureFile, listSets, setChildren, systemClock } from "~/domain.server";
import { Field, FormMessage, PostForm, SubmitButton } from "~/components/forms";
import { formatDateTime } from "~/format";
import { useLang } from "~/hooks";
import { ImportErrors } from "~/components/import-errors";

/**
 * The planning nomenclature and account codes: the imported sets (by decree and year), a browser of each
 * set's tree, and an upload that stores a new set whole or reports every bad row. Who: admin, Bappeda.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await guard(request, "nomenclature.manage");
  const url = new URL(request.url);
  const db = await em();
  const sets = await listSets(db);
  const setId = url.searchParams.get("set") ?? sets[0]?.id ?? "";
  const set = sets.find((s) => s.id === setId) ?? null;
  const parent = url.searchParams.get("induk") || null;
  const children = set ? await setChildren(db, set.id, set.kind, parent) : [];
  return json({ sets, set, parent, children }, { headers: viewerHeaders(viewer) });
}

export async function action({ request }: ActionFunctionArgs) {
  const viewer = await guard(request, "nomenclature.manage");
  const form = await readForm(request, { maxBytes: 20 * 1024 * 1024 });
  const t = tFor(request);
  const [file] = await files(form, "file");
  const header = {
    kind: (field(form, "kind") === "account" ? "account" : "planning") as "planning" | "account",
    decree: field(form, "decree"),
    appliesFrom: field(form, "appliesFrom"),
    subWidth: (field(form, "subWidth") === "2" ? 2 : 4) as 2 | 4,
    source: file?.name ?? "",
  };
  const r = await runUseCase(request, async () =>
    importNomenclatureFile(await em(), viewer.actor, systemClock, header, file?.bytes ?? new Uint8Array(), file?.name ?? ""),
  );
  if (!r.ok) return r.response;
  if (!r.value.ok)
    return json(
      { ok: false, message: t("mus.forum.importErrors", { n: r.value.errors.length }), errors: r.value.errors.map((e) => ({ ...e, message: t(e.key, e.params) })) },
      { status: 400 },
    );
  return json({ ok: true, message: `${t("mus.forum.saved")} (${r.value.count})`, errors: [] });
}

export default function Nomenclature() {
  const { sets, set, parent, children } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as { ok?: boolean; message?: string; errors?: { row: number; column: string; header: string; message: string }[] } | undefined;
  const lang = useLang();
  return (
    <>
      <h1 data-testid="workspace-title">Nomenklatur dan kode rekening</h1>
      <FormMessage kind={result?.ok ? "ok" : "error"} message={result?.message} />
      <ImportErrors errors={result?.errors} />
      <div className="table-wrap">
        <table className="data">
          <thead>
            <tr>
              <th>Dasar hukum</th>
              <th>Jenis</th>
              <th>Berlaku mulai</th>
              <th className="num">Kode</th>
              <th>Diimpor</th>
            </tr>
          </thead>
          <tbody>
            {sets.map((s) => (
              <tr key={s.id}>
                <td>
                  <Link to={`?set=${s.id}`}>{s.decree}</Link>
                </td>
                <td>{s.kind === "account" ? "Kode rekening" : "Nomenklatur"}</td>
                <td>{s.applies_from}</td>
                <td className="num">{s.items}</td>
                <td>
                  {formatDateTime(s.imported_at, lang)} · {s.imported_by}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {set ? (
        <section className="card">
          <h2>{set.decree}</h2>
          {parent ? (
            <p className="breadcrumb">
              <Link to={`?set=${set.id}`}>↑</Link> {parent}
            </p>
          ) : null}
          <ul>
            {children.map((c) => (
              <li key={c.code}>
                <code>{c.code}</code>{" "}
                {Number(c.children) > 0 ? <Link to={`?set=${set.id}&induk=${encodeURIComponent(c.code)}`}>{c.name}</Link> : c.name}
                {c.indicator ? <span className="muted"> — {c.indicator} ({c.unit})</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section className="card">
        <h2>Impor daftar (CSV atau Excel: kolom kode, nama; opsional kinerja, indikator, satuan)</h2>
        <PostForm encType="multipart/form-data" className="form">
          <Field name="kind" label="Jenis">
            <select id="kind" name="kind">
              <option value="planning">Nomenklatur perencanaan</option>
              <option value="account">Kode rekening</option>
            </select>
          </Field>
          <Field name="decree" label="Dasar hukum">
            <input id="decree" name="decree" placeholder="Kepmendagri 900.1.15.5-1317/2023" />
          </Field>
          <div className="grid2">
            <Field name="appliesFrom" label="Berlaku mulai tahun anggaran">
              <input id="appliesFrom" name="appliesFrom" inputMode="numeric" />
            </Field>
            <Field name="subWidth" label="Digit terakhir sub kegiatan">
              <select id="subWidth" name="subWidth" defaultValue="4">
                <option value="4">4 (sejak 2023)</option>
                <option value="2">2 (sebelum 2023)</option>
              </select>
            </Field>
          </div>
          <Field name="file" label="Berkas">
            <input id="file" name="file" type="file" accept=".csv,.xlsx" />
          </Field>
          <SubmitButton>Impor</SubmitButton>
        </PostForm>
      </section>
    </>
  );
}
