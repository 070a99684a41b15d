import { D } from "../../../domain/kernel/money";
import type { JsonObject } from "../schema";
import { CATEGORY, PROCUREMENT_METHOD, SWAKELOLA_TYPE } from "./codes";
import { compact, dayText, moment, rupiahText } from "./values";

/**
 * A change of an announced RUP package (the PackageAmended event: payload.changes holds each changed field
 * before and after) as a notice among the planning documents of its planningUpdate release. OCDS 1.1 has
 * no amendment object for planning, and the planning section a release carries is the package as it is
 * now: the notice says what it was. Its id is the event's, so every change keeps its own notice in the
 * compiled record.
 */

type Change = { before: unknown; after: unknown };

/** The fields the public sees, in the order a notice names them (the PPK's name is not published). */
const LABEL: Record<string, string> = {
  name: "nama paket",
  description: "uraian pekerjaan",
  volume: "volume pekerjaan",
  pagu: "pagu",
  lines: "baris anggaran",
  type: "tipe paket",
  swakelolaType: "tipe swakelola",
  method: "metode pemilihan",
  kind: "jenis pengadaan",
  pdn: "produk dalam negeri",
  umk: "dicadangkan untuk usaha kecil",
  plannedOn: "tanggal perencanaan",
  selectionStart: "awal pemilihan",
  selectionEnd: "akhir pemilihan",
  executionStart: "awal pelaksanaan",
  executionEnd: "akhir pelaksanaan",
  locations: "lokasi",
};

const DAYS = new Set(["plannedOn", "selectionStart", "selectionEnd", "executionStart", "executionEnd"]);

/** One value as people read it: rupiah, WIB days, the regulation's names, quoted texts; "-" for none. */
function shown(field: string, v: unknown): string {
  if (v === null || v === undefined || v === "") return "-";
  if (field === "pagu") return rupiahText(String(v));
  if (DAYS.has(field)) return dayText(String(v));
  if (field === "method") return PROCUREMENT_METHOD[v as keyof typeof PROCUREMENT_METHOD]?.details ?? String(v);
  if (field === "kind") return CATEGORY[v as keyof typeof CATEGORY]?.label ?? String(v);
  if (field === "swakelolaType") return SWAKELOLA_TYPE[Number(v)] ?? String(v);
  if (field === "pdn" || field === "umk") return v ? "ya" : "tidak";
  if (field === "locations") {
    const list = v as { regionCode: string; detail: string }[];
    return list.length ? list.map((l) => (l.detail ? `${l.regionCode} (${l.detail})` : l.regionCode)).join(", ") : "-";
  }
  if (field === "lines") {
    const list = v as { lineKey: string; amount: string }[];
    const sum = list.reduce((s, l) => s.plus(new D(l.amount)), new D(0));
    return `${list.length} baris DPA senilai ${rupiahText(sum.toFixed(2))}`;
  }
  return `"${String(v)}"`;
}

/** The sentence of a change: "awal pemilihan dari 1 Desember 2026 menjadi 8 Desember 2026; lokasi dari … menjadi …". */
export function packageChangesText(changes: Record<string, Change>): string {
  const parts = Object.keys(LABEL)
    .filter((k) => k in changes)
    .map((k) => `${LABEL[k]} dari ${shown(k, changes[k].before)} menjadi ${shown(k, changes[k].after)}`);
  if (!parts.length) return "Data paket diperbarui.";
  const text = parts.join("; ");
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/** The notice of a PackageAmended event (its id: "perubahan-rup-<procurement_event id>"). */
export function packageAmendmentNotice(e: { id: string; at: Date; payload: Record<string, unknown> }, kodeRup: string | null): JsonObject {
  const changes = (e.payload.changes ?? {}) as Record<string, Change>;
  return compact({
    id: `perubahan-rup-${e.id}`,
    documentType: "plannedProcurementNotice",
    title: `Perubahan RUP${kodeRup ? ` ${kodeRup}` : ""}`,
    description: packageChangesText(changes),
    datePublished: moment(e.at),
    language: "id",
  });
}
