import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../domain/identity/actor";
import type { Clock } from "../../domain/kernel/clock";
import { importNomenclature, type NomenclatureRow, type SetHeader } from "../../domain/nomenclature/sets";
import { parseCsv } from "../shared/csv";
import { cellText, columnLetterOf, readXlsx, sortSheetErrors, type SheetError } from "../shared/xlsx";

/**
 * Reads a nomenclature or account-code list from CSV or Excel (first sheet): a header row naming at
 * least the code and name columns (kode / kode rekening; nama / nomenklatur / uraian; optionally
 * kinerja, indikator, satuan), then one row per code in any order. Every problem comes back located by
 * row and column; the list is stored whole or not at all.
 */
const HEADERS: Record<keyof Omit<NomenclatureRow, "row">, RegExp> = {
  code: /^(kode|kode rekening|kode nomenklatur|code)$/i,
  name: /^(nama|nomenklatur|uraian|nama rekening|name)$/i,
  output: /^(kinerja|output|keluaran)$/i,
  indicator: /^(indikator|indikator kinerja)$/i,
  unit: /^(satuan|unit)$/i,
};

const letter = columnLetterOf;

export async function readListFile(bytes: Uint8Array, filename: string): Promise<{ table: string[][] } | { errors: SheetError[] }> {
  if (/\.csv$/i.test(filename)) {
    const text = Buffer.from(bytes).toString("utf8");
    if (text.includes("\uFFFD")) return { errors: [{ row: 0, column: "", header: "", key: "nomenclature.fileUnreadable" }] };
    return { table: parseCsv(text) };
  }
  const wb = await readXlsx(bytes, { maxRows: 100_000 });
  if (wb === "unreadable" || wb === "tooLarge") return { errors: [{ row: 0, column: "", header: "", key: wb === "tooLarge" ? "import.file.tooManyRows" : "nomenclature.fileUnreadable", params: { rows: "> 100000", max: 100000 } }] };
  const ws = wb.worksheets[0];
  const table: string[][] = [];
  ws?.eachRow({ includeEmpty: true }, (row, n) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (c, col) => (cells[col - 1] = cellText(c.value).trim()));
    table[n - 1] = Array.from(cells, (c) => c ?? "");
  });
  return { table: Array.from(table, (r) => r ?? []) };
}

export async function importNomenclatureFile(
  em: EntityManager,
  actor: Actor,
  clock: Clock,
  header: SetHeader,
  bytes: Uint8Array,
  filename: string,
): Promise<{ ok: true; count: number; setId: string } | { ok: false; errors: SheetError[] }> {
  const read = await readListFile(bytes, filename);
  if ("errors" in read) return { ok: false, errors: read.errors };
  const [head = [], ...body] = read.table;
  const where: Partial<Record<keyof typeof HEADERS, number>> = {};
  head.forEach((h, i) => {
    for (const [k, re] of Object.entries(HEADERS)) if (re.test(h.trim()) && where[k as keyof typeof HEADERS] === undefined) where[k as keyof typeof HEADERS] = i;
  });
  const missing = (["code", "name"] as const).filter((k) => where[k] === undefined);
  if (missing.length)
    return { ok: false, errors: missing.map((k) => ({ row: 1, column: "", header: k === "code" ? "Kode" : "Nama", key: "import.header.missing", params: { header: k === "code" ? "Kode" : "Nama" } })) };
  const get = (r: string[], k: keyof typeof HEADERS) => (where[k] === undefined ? "" : (r[where[k]!] ?? "").trim());
  const rows: NomenclatureRow[] = [];
  body.forEach((r, i) => {
    if (r.every((c) => !c?.trim())) return;
    rows.push({ row: i + 2, code: get(r, "code"), name: get(r, "name"), output: get(r, "output"), indicator: get(r, "indicator"), unit: get(r, "unit") });
  });
  const out = await importNomenclature(em, actor, clock, header, rows);
  if (out.ok) return out;
  const col = (f: "code" | "name" | "parent") => (f === "name" ? where.name! : where.code!);
  return {
    ok: false,
    errors: sortSheetErrors(out.problems.map((p) => ({ row: p.row, column: letter(col(p.field)), header: head[col(p.field)] ?? "", key: p.key, params: p.params }))),
  };
}
