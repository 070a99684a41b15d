import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../domain/identity/actor";
import type { Clock } from "../../domain/kernel/clock";
import { DomainError, ValidationErrors } from "../../domain/kernel/domain-error";
import { nomenclatureLevel } from "../../domain/nomenclature/codes";
import { parseRupiah } from "../../domain/musrenbang/proposals";
import { D } from "../../domain/kernel/money";
import { addSubActivity, renjaDetail, type SubActivityInput } from "../../domain/planning";
import { readListFile } from "../nomenclature/list";
import { columnLetterOf, sortSheetErrors, type SheetError } from "../shared/xlsx";

/**
 * Imports sub-activities into a Renja from the RKPD/Renja Excel layout (or CSV with the same headers).
 * Rows whose code is a sub kegiatan are read; programme, kegiatan and total rows are skipped, so an
 * exported file comes back unchanged. A sub-activity already in the Renja with the same values is left
 * alone; new ones are added through the same use case as the form, all in one transaction. Any problem
 * is reported by row and column and nothing is applied.
 */
const COLUMNS = {
  subKegiatan: /^kode$/i,
  target: /^target$/i,
  unit: /^satuan$/i,
  locations: /^lokasi$/i,
  ceiling: /^pagu( indikatif)?( \(rp\))?$/i,
  fundingSource: /^sumber dana$/i,
  proposals: /^usulan( musrenbang)?$/i,
} as const;
type Col = keyof typeof COLUMNS;

const letter = columnLetterOf;

class RowFailure extends Error {
  constructor(
    readonly row: number,
    readonly error: DomainError,
  ) {
    super(error.message);
  }
}

export async function importRenjaSheet(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  renjaId: string,
  bytes: Uint8Array,
  filename: string,
): Promise<{ ok: true; added: number; unchanged: number } | { ok: false; errors: SheetError[] }> {
  const read = await readListFile(bytes, filename);
  if ("errors" in read) return { ok: false, errors: read.errors };
  const headerRow = read.table.findIndex((r) => r.some((c) => /^kode$/i.test((c ?? "").trim())));
  if (headerRow < 0) return { ok: false, errors: [{ row: 1, column: "", header: "Kode", key: "import.header.missing", params: { header: "Kode" } }] };
  const head = read.table[headerRow];
  const where: Partial<Record<Col, number>> = {};
  head.forEach((h, i) => {
    for (const [k, re] of Object.entries(COLUMNS)) if (re.test((h ?? "").trim()) && where[k as Col] === undefined) where[k as Col] = i;
  });
  const missing = (["subKegiatan", "target", "locations", "ceiling", "fundingSource"] as Col[]).filter((k) => where[k] === undefined);
  if (missing.length) return { ok: false, errors: missing.map((k) => ({ row: headerRow + 1, column: "", header: String(COLUMNS[k].source), key: "import.header.missing", params: { header: k } })) };
  const at = (field: string) => {
    const col = where[(field in COLUMNS ? field : "subKegiatan") as Col] ?? 0;
    return { column: letter(col), header: head[col] ?? "" };
  };
  const detail = await renjaDetail(em, renjaId);
  const existing = new Map(detail.subs.map((s) => [s.sub_kegiatan_code, s]));
  const proposalIds = new Map(
    (await em.execute<{ id: string; code: string }[]>("select id, code from proposal where tenant_code = ? and fiscal_year = ?", [actor.tenant, detail.renja.fiscal_year])).map((p) => [p.code, p.id]),
  );
  const errors: SheetError[] = [];
  const steps: { row: number; input: SubActivityInput }[] = [];
  let unchanged = 0;
  read.table.slice(headerRow + 1).forEach((r, i) => {
    const rowNo = headerRow + i + 2;
    const get = (k: Col) => (where[k] === undefined ? "" : (r[where[k]!] ?? "").trim());
    const code = get("subKegiatan");
    if (nomenclatureLevel(code, 4) !== "sub_kegiatan" && nomenclatureLevel(code, 2) !== "sub_kegiatan") return;
    let ceiling = "";
    const before = errors.length;
    try {
      ceiling = parseRupiah(get("ceiling")).toString();
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      errors.push({ row: rowNo, ...at("ceiling"), key: e.key, params: e.params });
    }
    const codes = get("proposals").split(/[\s,;]+/).filter(Boolean);
    const unknown = codes.filter((c) => !proposalIds.has(c));
    if (unknown.length) errors.push({ row: rowNo, ...at("proposals"), key: "musrenbang.usulan.notFound", params: { code: unknown.join(", ") } });
    const input: SubActivityInput = {
      subKegiatan: code,
      target: get("target"),
      unit: get("unit"),
      locations: get("locations").split(/[\s,;]+/).filter(Boolean),
      ceiling,
      fundingSource: get("fundingSource"),
      proposals: codes.map((c) => proposalIds.get(c)!).filter(Boolean),
    };
    if (errors.length > before) return;
    const old = existing.get(code);
    if (old) {
      const same =
        old.ceiling === ceiling &&
        old.funding_source === input.fundingSource &&
        old.locations.join(",") === input.locations.join(",") &&
        /^\d+([.,]\d+)?$/.test(input.target) &&
        new D(old.target).eq(new D(input.target.replace(",", ".")));
      if (same) unchanged++;
      else errors.push({ row: rowNo, ...at("subKegiatan"), key: "planning.import.existsChanged", params: { code } });
      return;
    }
    steps.push({ row: rowNo, input });
  });
  if (errors.length) return { ok: false, errors: sortSheetErrors(errors) };
  try {
    await em.transactional(
      async (tx) => {
        for (const s of steps)
          try {
            await addSubActivity(tx, actor, clock, renjaId, s.input);
          } catch (e) {
            if (e instanceof DomainError) throw new RowFailure(s.row, e);
            throw e;
          }
      },
      { ignoreNestedTransactions: true },
    );
  } catch (e) {
    if (!(e instanceof RowFailure)) throw e;
    const list = e.error instanceof ValidationErrors ? e.error.problems : [{ field: e.error.field ?? "subKegiatan", key: e.error.key, params: e.error.params }];
    return { ok: false, errors: sortSheetErrors(list.map((p) => ({ row: e.row, ...at(p.field), key: p.key, params: p.params }))) };
  }
  return { ok: true, added: steps.length, unchanged };
}
