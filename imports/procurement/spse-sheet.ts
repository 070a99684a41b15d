import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../../domain/audit/transact";
import type { Actor } from "../../domain/identity/actor";
import { assertCan } from "../../domain/identity/policy";
import type { Clock } from "../../domain/kernel/clock";
import { Money } from "../../domain/kernel/money";
import { pgArray } from "../../domain/kernel/pg";
import { AMENDMENT_MAX_INCREASE } from "../../domain/procurement/contracts";
import { emitProcurement, traceToProposals } from "../../domain/procurement/events";
import { seal, sha256 } from "../../domain/procurement/sealing";
import { parseNpwp } from "../../domain/procurement/vendors";
import { COMPETITIVE, CONTRACT_TYPES, EVALUATION_METHODS, QUALIFICATIONS, type ContractType, type EvaluationMethod, type Method, type Qualification } from "../../domain/procurement/vocabulary";
import {
  asText,
  locate,
  normaliseHeader,
  parseAmountCell,
  parseDateCell,
  parseFlag,
  readTables,
  reader,
  sortErrors,
  type HeaderSpec,
  type Located,
  type ProcSheetError,
  type Row,
  type UploadedFile,
} from "./sheet-tables";

/**
 * Imports tender results and contracts from SPSE (the national e-procurement system run by the LPSE),
 * exported as Excel (each worksheet a table) or CSV (one table per file), onto Jejak's model:
 *
 *   tender results — one row per participant: kd_tender, kd_rup, nama_paket, nilai_hps, nama_penyedia,
 *                    npwp_penyedia, nilai_penawaran, nilai_terkoreksi, pemenang, tgl_penetapan_pemenang
 *                    (optionally metode_evaluasi, kualifikasi_penyedia, tgl_pengumuman);
 *   contracts      — one row per contract version: no_kontrak, kd_rup and/or kd_tender, tgl_kontrak,
 *                    nilai_kontrak, npwp_penyedia (nama_penyedia), tgl_mulai, tgl_selesai, jenis_kontrak
 *                    (optionally no_sppbj, tgl_sppbj); an addendum is a row of the same no_kontrak with
 *                    versi_adendum 1, 2, … and its alasan, nilai (the value after it), tgl_selesai (the new
 *                    end, if any) and tgl_adendum (else tgl_kontrak).
 *
 * Each tender and contract is linked to its RUP package by kode RUP (a row whose kode RUP Jejak does not
 * know is refused, naming row and column). Vendors are found by NPWP, and registered — as this import's
 * actor — when new. A tender becomes a `tender` row with source 'spse' (code = kd_tender) whose status
 * follows the data: contracted once a contract names it, winner_announced with a winner, opened without
 * one; its participants become opened bids with their clear prices (these come after the opening from a
 * public national system) and, so that the model's invariant holds, a sealed copy of the same contents.
 * Contracts are signed contracts with source 'spse'; addenda are contract amendments.
 *
 * The model's rules hold as for tenders run in Jejak: HPS within the pagu, one live selection and one live
 * contract per package, the winner within the HPS, the contract with the winner and within the winning
 * price and the pagu, addenda at most 10% above the original value (Perpres 16/2018 Pasal 54), no
 * blacklisted vendor. A re-import finds tenders by kd_tender and contracts by no_kontrak and updates them
 * (statuses only move forward; a recorded addendum that differs is refused): nothing is duplicated, and an
 * unchanged file changes nothing.
 *
 * Events, honest about where they come from: WinnerAnnounced (when a winner is first known, or changes),
 * Awarded and ContractSigned (a new contract), ContractAmended (a new addendum) — each with
 * `source: "spse"` in its payload — and the "tender"/"contract" steps of the proposals' public timelines.
 *
 * Who: the Pokja of the UKPBJ or an admin (procure.vendor.manage: the import registers vendors). All or
 * nothing: everything is checked in one transaction with the packages, tenders and contracts concerned
 * locked; every problem is reported by table, row and column, and if there is any, nothing is written.
 */

export const MAX_SPSE_ROWS = 60_000;

type TK = "tenderCode" | "kodeRup" | "packageName" | "hps" | "vendorName" | "npwp" | "price" | "corrected" | "winner" | "winnerDate" | "evaluation" | "qualification" | "announcedOn";
type CK =
  | "number"
  | "kodeRup"
  | "tenderCode"
  | "signedOn"
  | "value"
  | "npwp"
  | "vendorName"
  | "startDate"
  | "endDate"
  | "type"
  | "version"
  | "reason"
  | "amendedValue"
  | "amendedOn"
  | "sppbjNumber"
  | "sppbjDate"
  | "qualification";

const TENDER_CODE = ["kd tender", "kode tender", "kd nontender", "kd non tender", "kode non tender", "kd paket spse", "kode paket spse"];
const KODE_RUP = ["kd rup", "kode rup", "id rup"];
const NPWP = ["npwp penyedia", "npwp", "npwp peserta"];
const VENDOR_NAME = ["nama penyedia", "nama peserta", "penyedia", "peserta"];
const QUALIFICATION = ["kualifikasi penyedia", "kualifikasi usaha", "kualifikasi"];

const T_SPEC: HeaderSpec<TK> = {
  tenderCode: TENDER_CODE,
  kodeRup: KODE_RUP,
  packageName: ["nama paket"],
  hps: ["nilai hps", "hps", "nilai hps paket"],
  vendorName: VENDOR_NAME,
  npwp: NPWP,
  price: ["nilai penawaran", "harga penawaran", "penawaran"],
  corrected: ["nilai terkoreksi", "harga terkoreksi", "nilai penawaran terkoreksi"],
  winner: ["pemenang", "status pemenang", "is pemenang"],
  winnerDate: ["tgl penetapan pemenang", "tanggal penetapan pemenang", "tgl pengumuman pemenang"],
  evaluation: ["metode evaluasi"],
  qualification: QUALIFICATION,
  announcedOn: ["tgl pengumuman", "tanggal pengumuman", "tgl pengumuman tender"],
};
const T_REQUIRED: TK[] = ["tenderCode", "kodeRup", "hps", "vendorName", "npwp", "price"];
const T_LABEL: Record<TK, string> = {
  tenderCode: "kd_tender",
  kodeRup: "kd_rup",
  packageName: "nama_paket",
  hps: "nilai_hps",
  vendorName: "nama_penyedia",
  npwp: "npwp_penyedia",
  price: "nilai_penawaran",
  corrected: "nilai_terkoreksi",
  winner: "pemenang",
  winnerDate: "tgl_penetapan_pemenang",
  evaluation: "metode_evaluasi",
  qualification: "kualifikasi_penyedia",
  announcedOn: "tgl_pengumuman",
};

const C_SPEC: HeaderSpec<CK> = {
  number: ["no kontrak", "nomor kontrak"],
  kodeRup: KODE_RUP,
  tenderCode: TENDER_CODE,
  signedOn: ["tgl kontrak", "tanggal kontrak", "tgl ttd kontrak"],
  value: ["nilai kontrak"],
  npwp: NPWP,
  vendorName: VENDOR_NAME,
  startDate: ["tgl mulai", "tanggal mulai", "tgl mulai kontrak", "tgl awal kontrak"],
  endDate: ["tgl selesai", "tanggal selesai", "tgl selesai kontrak", "tgl akhir kontrak"],
  type: ["jenis kontrak", "tipe kontrak", "bentuk kontrak"],
  version: ["versi adendum", "versi addendum", "adendum ke", "versi kontrak"],
  reason: ["alasan", "alasan adendum", "alasan addendum"],
  amendedValue: ["nilai", "nilai adendum", "nilai setelah adendum"],
  amendedOn: ["tgl adendum", "tanggal adendum"],
  sppbjNumber: ["no sppbj", "nomor sppbj"],
  sppbjDate: ["tgl sppbj", "tanggal sppbj"],
  qualification: QUALIFICATION,
};
const C_REQUIRED: CK[] = ["number", "signedOn", "value", "npwp"];
const C_LABEL: Record<CK, string> = {
  number: "no_kontrak",
  kodeRup: "kd_rup",
  tenderCode: "kd_tender",
  signedOn: "tgl_kontrak",
  value: "nilai_kontrak",
  npwp: "npwp_penyedia",
  vendorName: "nama_penyedia",
  startDate: "tgl_mulai",
  endDate: "tgl_selesai",
  type: "jenis_kontrak",
  version: "versi_adendum",
  reason: "alasan",
  amendedValue: "nilai",
  amendedOn: "tgl_adendum",
  sppbjNumber: "no_sppbj",
  sppbjDate: "tgl_sppbj",
  qualification: "kualifikasi_penyedia",
};

const KNOWN = new Set([...Object.values(T_SPEC), ...Object.values(C_SPEC)].flat());

const CONTRACT_TYPE: Record<string, ContractType> = {
  "lump sum": "lump_sum",
  lumsum: "lump_sum",
  lumpsum: "lump_sum",
  "kontrak lumsum": "lump_sum",
  "kontrak lump sum": "lump_sum",
  "harga satuan": "harga_satuan",
  "kontrak harga satuan": "harga_satuan",
  gabungan: "gabungan",
  "gabungan lumsum dan harga satuan": "gabungan",
  "gabungan lump sum dan harga satuan": "gabungan",
  "kontrak gabungan lumsum dan harga satuan": "gabungan",
};
const EVALUATION: Record<string, EvaluationMethod> = {
  "harga terendah": "harga_terendah",
  "harga terendah sistem gugur": "harga_terendah",
  "sistem gugur": "harga_terendah",
  "kualitas dan biaya": "kualitas_biaya",
  kualitas: "kualitas",
  "pagu anggaran": "pagu_anggaran",
  "biaya terendah": "biaya_terendah",
};
const QUALIFICATION_OF: Record<string, Qualification> = { kecil: "kecil", "usaha kecil": "kecil", umk: "kecil", "non kecil": "non_kecil", menengah: "non_kecil", besar: "non_kecil" };
const mapOf = <T extends string>(codes: readonly T[], words: Record<string, T>) => (text: string): T | null => {
  const t = normaliseHeader(text);
  return words[t] ?? (codes as readonly string[]).find((c) => normaliseHeader(c) === t) as T | undefined ?? null;
};
const contractTypeOf = mapOf(CONTRACT_TYPES, CONTRACT_TYPE);
const evaluationOf = mapOf(EVALUATION_METHODS, EVALUATION);
const qualificationOf = mapOf(QUALIFICATIONS, QUALIFICATION_OF);

/** Statuses an imported tender moves through, in order: a re-import never moves one back. */
const FORWARD = ["opened", "evaluated", "winner_announced", "sppbj", "contracted"];
const SELECTION: readonly Method[] = [...COMPETITIVE, "pengadaan_langsung", "penunjukan_langsung"];
/** A date as a moment: the start of that day in WIB. */
const wibMidnight = (date: string) => new Date(`${date}T00:00:00+07:00`);

type TReader = ReturnType<typeof reader<TK>>;
type CReader = ReturnType<typeof reader<CK>>;

interface BidRead {
  row: Row;
  t: TReader;
  npwp: string;
  name: string;
  price: Money;
  corrected: Money;
  winner: boolean;
  winnerDate: string | null;
  qualification: Qualification | null;
}
interface TenderRead {
  code: string;
  kode: string;
  hps: Money | null;
  evaluation: EvaluationMethod | null;
  announcedOn: string | null;
  first: { row: Row; t: TReader };
  bids: BidRead[];
  bad: boolean;
}
interface ContractBase {
  row: Row;
  t: CReader;
  kode: string;
  tenderCode: string;
  signedOn: string;
  value: Money;
  npwp: string;
  name: string;
  startDate: string;
  endDate: string;
  type: ContractType;
  sppbjNumber: string;
  sppbjDate: string;
  qualification: Qualification | null;
}
interface AmendmentRead {
  row: Row;
  t: CReader;
  no: number;
  reason: string;
  value: Money | null;
  endDate: string | null;
  signedOn: string;
}
interface ContractRead {
  number: string;
  base: ContractBase | null;
  amendments: AmendmentRead[];
  first: { row: Row; t: CReader };
  bad: boolean;
}

interface PackageRow {
  id: string;
  kode_rup: string;
  status: string;
  method: Method;
  pagu: string;
  umk: boolean;
  name: string;
}
interface TenderDb {
  id: string;
  package_id: string;
  code: string;
  status: string;
  source: string;
  hps: string;
  evaluation_method: string;
  winner_bid_id: string | null;
}
interface ContractDb {
  id: string;
  package_id: string;
  tender_id: string | null;
  vendor_id: string;
  sppbj_number: string;
  sppbj_date: string;
  number: string | null;
  signed_on: string | null;
  type: string;
  original_value: string;
  value: string;
  start_date: string | null;
  end_date: string | null;
  status: string;
  source: string;
}

export type SpseImportResult =
  | {
      ok: true;
      vendors: number;
      tenders: { created: number; updated: number; unchanged: number };
      bids: number;
      contracts: { created: number; updated: number; unchanged: number };
      amendments: number;
    }
  | { ok: false; errors: ProcSheetError[] };

class Rollback extends Error {
  constructor(readonly errors: ProcSheetError[]) {
    super("spse import refused");
  }
}

const fail = (key: string, params?: Record<string, unknown>): { ok: false; errors: ProcSheetError[] } => ({ ok: false, errors: [{ sheet: "", row: 0, column: "", header: "", key, params }] });

export async function importSpseSheet(em: EntityManager, actor: Actor, clock: Clock, files: readonly UploadedFile[]): Promise<SpseImportResult> {
  assertCan(actor, "procure.vendor.manage", { tenant: actor.tenant });
  const tenant = actor.tenant;
  const read = await readTables(files, { maxRows: MAX_SPSE_ROWS, known: KNOWN });
  if ("errors" in read) return { ok: false, errors: read.errors };
  const tenderTables: Located<TK>[] = [];
  const contractTables: Located<CK>[] = [];
  for (const t of read.tables) {
    const c = locate(t, C_SPEC, C_REQUIRED, C_LABEL);
    if (c && c.where.number !== undefined) {
      contractTables.push(c);
      continue;
    }
    const tr = locate(t, T_SPEC, T_REQUIRED, T_LABEL);
    if (tr && tr.where.price !== undefined) tenderTables.push(tr);
  }
  if (!tenderTables.length && !contractTables.length) return fail("import.spse.noTable", { tender: T_REQUIRED.map((k) => T_LABEL[k]).join(", "), contract: C_REQUIRED.map((k) => C_LABEL[k]).join(", ") });
  const headerErrors = [...tenderTables, ...contractTables].flatMap((t) => t.errors);
  for (const ct of contractTables)
    if (ct.where.kodeRup === undefined && ct.where.tenderCode === undefined)
      headerErrors.push({ sheet: ct.table.name, row: ct.table.rows[ct.at].n, column: "", header: C_LABEL.kodeRup, key: "import.header.missing", params: { header: `${C_LABEL.kodeRup} / ${C_LABEL.tenderCode}` } });
  if (headerErrors.length) return { ok: false, errors: headerErrors };
  const order = [...tenderTables, ...contractTables].map((t) => t.table.name);
  const errors: ProcSheetError[] = [];

  const names = new Map<string, string>();
  const tenders = readTenders(tenderTables, errors, names);
  const contracts = readContracts(contractTables, errors, names);
  if (!tenders.size && !contracts.size) return fail("import.spse.empty");

  try {
    return await transact(em, actor, clock, async (tx, record) => {
      const now = clock.now();
      // ---- What the database holds, locked: packages, vendors, tenders, contracts.
      const kodes = [...new Set([...[...tenders.values()].map((t) => t.kode), ...[...contracts.values()].map((c) => c.base?.kode ?? "")].filter((k) => /^\d{1,12}$/.test(k)))];
      const tenderCodes = [...new Set([...tenders.keys(), ...[...contracts.values()].map((c) => c.base?.tenderCode ?? "").filter(Boolean)])];
      const tendersDb = await tx.execute<TenderDb[]>(
        `select id, package_id, code, status, source, hps::text as hps, evaluation_method, winner_bid_id from tender where tenant_code = ? and code = any(?::text[]) order by id for update`,
        [tenant, pgArray(tenderCodes)],
      );
      const tenderByCode = new Map(tendersDb.map((t) => [t.code, t]));
      const packagesDb = await tx.execute<PackageRow[]>(
        `select p.id, p.kode_rup::text as kode_rup, p.status, p.method, p.pagu::text as pagu, p.umk, p.name from proc_package p
          where p.tenant_code = ? and (p.kode_rup = any(?::bigint[]) or p.id = any(?::uuid[])) order by p.id for update`,
        [tenant, pgArray(kodes), pgArray(tendersDb.map((t) => t.package_id))],
      );
      const packageByKode = new Map(packagesDb.map((p) => [p.kode_rup, p]));
      const packageById = new Map(packagesDb.map((p) => [p.id, p]));
      const packageIds = packagesDb.map((p) => p.id);
      const tendersOfPackages = await tx.execute<{ id: string; package_id: string; code: string; status: string }[]>(
        "select id, package_id, code, status from tender where package_id = any(?::uuid[])",
        [pgArray(packageIds)],
      );
      const numbers = [...contracts.keys()];
      const sppbjNumbers = [...contracts.values()].map((c) => c.base?.sppbjNumber ?? "").filter(Boolean);
      const contractsDb = await tx.execute<ContractDb[]>(
        `select id, package_id, tender_id, vendor_id, sppbj_number, to_char(sppbj_date, 'YYYY-MM-DD') as sppbj_date, number, to_char(signed_on, 'YYYY-MM-DD') as signed_on, type,
                original_value::text as original_value, value::text as value, to_char(start_date, 'YYYY-MM-DD') as start_date, to_char(end_date, 'YYYY-MM-DD') as end_date, status, source
           from contract where tenant_code = ? and (number = any(?::text[]) or sppbj_number = any(?::text[]) or package_id = any(?::uuid[])) order by id for update`,
        [tenant, pgArray(numbers), pgArray(sppbjNumbers), pgArray(packageIds)],
      );
      const contractByNumber = new Map(contractsDb.filter((c) => c.number).map((c) => [c.number!, c]));
      const amendmentsDb = await tx.execute<{ contract_id: string; no: number; reason: string; value_after: string; end_after: string | null; signed_on: string }[]>(
        `select contract_id, no, reason, value_after::text as value_after, to_char(end_after, 'YYYY-MM-DD') as end_after, to_char(signed_on, 'YYYY-MM-DD') as signed_on
           from contract_amendment where contract_id = any(?::uuid[]) order by contract_id, no`,
        [pgArray(contractsDb.map((c) => c.id))],
      );
      const bidsDb = await tx.execute<{ id: string; tender_id: string; vendor_id: string; price: string; corrected_price: string }[]>(
        "select id, tender_id, vendor_id, price::text as price, corrected_price::text as corrected_price from bid where tender_id = any(?::uuid[]) and status = 'opened'",
        [pgArray(tendersDb.map((t) => t.id))],
      );
      const npwps = [...new Set([...[...tenders.values()].flatMap((t) => t.bids.map((b) => b.npwp)), ...[...contracts.values()].map((c) => c.base?.npwp ?? "").filter(Boolean)])];
      const vendorsDb = await tx.execute<{ id: string; npwp: string; name: string }[]>("select id, npwp, name from vendor where tenant_code = ? and npwp = any(?::text[])", [tenant, pgArray(npwps)]);
      const vendorByNpwp = new Map(vendorsDb.map((v) => [v.npwp, v]));
      const vendorById = new Map(vendorsDb.map((v) => [v.id, v]));
      const sanctions = await tx.execute<{ vendor_id: string; starts_on: string; ends_on: string }[]>(
        "select vendor_id, to_char(starts_on, 'YYYY-MM-DD') as starts_on, to_char(ends_on, 'YYYY-MM-DD') as ends_on from vendor_sanction where vendor_id = any(?::uuid[])",
        [pgArray(vendorsDb.map((v) => v.id))],
      );
      const blacklistedOn = (vendorId: string | undefined, on: string) => (vendorId ? sanctions.find((s) => s.vendor_id === vendorId && s.starts_on <= on && on <= s.ends_on) : undefined);

      // ---- Tenders.
      type TenderPlan = { t: TenderRead; pkg: PackageRow; old: TenderDb | null; winner: BidRead | null };
      const tenderPlans: TenderPlan[] = [];
      const liveClaimed = new Map<string, string>();
      for (const t of tenders.values()) {
        const add = (k: TK, key: string, params?: Record<string, unknown>, at = t.first) => errors.push({ row: at.row.n, ...at.t.place(k), key, params });
        const pkg = packageByKode.get(t.kode);
        if (!t.kode || !/^\d{1,12}$/.test(t.kode)) continue;
        if (!pkg) {
          add("kodeRup", "import.spse.kodeRupUnknown", { kode: t.kode });
          continue;
        }
        if (pkg.status !== "announced") {
          add("kodeRup", "import.spse.packageNotAnnounced", { kode: t.kode, name: pkg.name });
          continue;
        }
        if (!SELECTION.includes(pkg.method)) {
          add("kodeRup", "procure.tender.methodHasNoSelection", { method: pkg.method });
          continue;
        }
        const old = tenderByCode.get(t.code) ?? null;
        if (old && old.source !== "spse") {
          add("tenderCode", "import.spse.tenderIsJejak", { code: t.code });
          continue;
        }
        if (old && old.package_id !== pkg.id) {
          add("kodeRup", "import.spse.tenderOtherPackage", { code: t.code, kode: packageById.get(old.package_id)?.kode_rup ?? "?" });
          continue;
        }
        const live = tendersOfPackages.find((x) => x.package_id === pkg.id && x.id !== old?.id && !["failed", "cancelled"].includes(x.status));
        if (live || liveClaimed.has(pkg.id)) {
          add("kodeRup", "procure.tender.liveExists", { code: live?.code ?? liveClaimed.get(pkg.id) });
          continue;
        }
        liveClaimed.set(pkg.id, t.code);
        if (t.hps && t.hps.exceeds(Money.idr(pkg.pagu))) add("hps", "procure.tender.hpsAbovePagu", { hps: t.hps.toString(), pagu: pkg.pagu });
        const winner = t.bids.find((b) => b.winner) ?? null;
        for (const b of t.bids) if (!vendorByNpwp.has(b.npwp) && (names.get(b.npwp) ?? "").length < 3) add("vendorName", "procure.vendor.nameRequired", {}, b);
        if (winner && t.hps && winner.corrected.exceeds(t.hps)) add("corrected", "import.spse.winnerAboveHps", { value: winner.corrected.toString(), hps: t.hps.toString() }, winner);
        const sanction = winner && winner.winnerDate ? blacklistedOn(vendorByNpwp.get(winner.npwp)?.id, winner.winnerDate) : undefined;
        if (sanction) add("npwp", "procure.vendor.blacklisted", { name: vendorByNpwp.get(winner!.npwp)!.name, until: sanction.ends_on }, winner!);
        if (!t.bad && t.hps) tenderPlans.push({ t, pkg, old, winner });
      }

      // ---- Contracts.
      type ContractPlan = { c: ContractRead; pkg: PackageRow; old: ContractDb | null; tender: { code: string; id: string | null; plan: TenderPlan | null } | null; newAmendments: AmendmentRead[] };
      const contractPlans: ContractPlan[] = [];
      const contractClaimed = new Map<string, string>();
      for (const c of contracts.values()) {
        if (c.bad) continue;
        const old = contractByNumber.get(c.number) ?? null;
        const b = c.base;
        const addBase = (k: CK, key: string, params?: Record<string, unknown>) => (b ? errors.push({ row: b.row.n, ...b.t.place(k), key, params }) : undefined);
        if (old && old.source !== "spse") {
          errors.push({ row: c.first.row.n, ...c.first.t.place("number"), key: "import.spse.contractIsJejak", params: { number: c.number } });
          continue;
        }
        if (!b && !old) {
          const a = c.amendments[0];
          errors.push({ row: a.row.n, ...a.t.place("number"), key: "import.spse.noOriginal", params: { number: c.number } });
          continue;
        }
        let pkg = old ? packageById.get(old.package_id) : undefined;
        let tender: ContractPlan["tender"] = null;
        if (b) {
          if (b.tenderCode) {
            const inFile = tenderPlans.find((x) => x.t.code === b.tenderCode) ?? null;
            const inDb = tenderByCode.get(b.tenderCode) ?? null;
            if (inDb && inDb.source !== "spse") {
              addBase("tenderCode", "import.spse.tenderIsJejak", { code: b.tenderCode });
              continue;
            }
            if (!inFile && !inDb) {
              if (!tenders.has(b.tenderCode)) addBase("tenderCode", "import.spse.tenderUnknown", { code: b.tenderCode });
              continue;
            }
            tender = { code: b.tenderCode, id: inDb?.id ?? null, plan: inFile };
            const tenderPackage = inFile?.pkg ?? packageById.get(inDb!.package_id)!;
            if (b.kode && tenderPackage.kode_rup !== b.kode) {
              addBase("kodeRup", "import.spse.kodeRupMismatch", { kode: b.kode, code: b.tenderCode, tenderKode: tenderPackage.kode_rup });
              continue;
            }
            pkg ??= tenderPackage;
          }
          if (b.kode && !tender) {
            const byKode = packageByKode.get(b.kode);
            if (!byKode) {
              addBase("kodeRup", "import.spse.kodeRupUnknown", { kode: b.kode });
              continue;
            }
            if (pkg && pkg.id !== byKode.id) {
              addBase("kodeRup", "import.spse.contractOtherPackage", { number: c.number, kode: pkg.kode_rup });
              continue;
            }
            pkg = byKode;
          }
          if (old && pkg && old.package_id !== pkg.id) {
            addBase("kodeRup", "import.spse.contractOtherPackage", { number: c.number, kode: packageById.get(old.package_id)?.kode_rup ?? "?" });
            continue;
          }
        }
        if (!pkg) continue;
        if (pkg.status !== "announced") {
          if (b) addBase(b.kode ? "kodeRup" : "tenderCode", "import.spse.packageNotAnnounced", { kode: pkg.kode_rup, name: pkg.name });
          continue;
        }
        if (b) {
          const other = contractsDb.find((x) => x.package_id === pkg.id && x.id !== old?.id && ["sppbj", "signed"].includes(x.status));
          if (other || (contractClaimed.has(pkg.id) && contractClaimed.get(pkg.id) !== c.number)) {
            addBase("number", "import.spse.packageHasContract", { number: other?.number ?? other?.sppbj_number ?? contractClaimed.get(pkg.id) });
            continue;
          }
          contractClaimed.set(pkg.id, c.number);
          const sppbjTaken = contractsDb.find((x) => x.sppbj_number === b.sppbjNumber && x.id !== old?.id);
          if (sppbjTaken) addBase(b.sppbjNumber === c.number ? "number" : "sppbjNumber", "procure.contract.numberTaken", { number: b.sppbjNumber });
          if (!vendorByNpwp.has(b.npwp) && (names.get(b.npwp) ?? "").length < 3) addBase("npwp", "import.spse.vendorUnknown", { npwp: b.npwp });
          // The contract is with the tender's winner, at most at the winning price.
          const winner = tender?.plan
            ? tender.plan.winner
              ? { npwp: tender.plan.winner.npwp, name: tender.plan.winner.name, price: tender.plan.winner.corrected }
              : null
            : tender?.id
              ? await dbWinner(tx, tender.id)
              : null;
          if (tender && !winner) addBase("tenderCode", "import.spse.tenderNoWinner", { code: tender.code });
          if (winner && winner.npwp !== b.npwp) addBase("npwp", "import.spse.notWinner", { name: winner.name, code: tender!.code });
          if (winner && b.value.exceeds(winner.price)) addBase("value", "procure.contract.aboveAward", { value: b.value.toString(), award: winner.price.toString() });
          if (b.value.exceeds(Money.idr(pkg.pagu))) addBase("value", "procure.contract.abovePagu", { value: b.value.toString(), pagu: pkg.pagu });
          const sanction = blacklistedOn(vendorByNpwp.get(b.npwp)?.id, b.signedOn);
          if (sanction) addBase("npwp", "procure.vendor.blacklisted", { name: vendorByNpwp.get(b.npwp)!.name, until: sanction.ends_on });
        }
        // Addenda: recorded ones must match; new ones follow on in order, within 10% of the original value and the pagu.
        const recorded = old ? amendmentsDb.filter((a) => a.contract_id === old.id) : [];
        const original = b ? b.value : Money.idr(old!.original_value);
        const start = b ? b.startDate : old!.start_date;
        const cap = original.plus(original.times(AMENDMENT_MAX_INCREASE));
        let last = recorded.reduce((m, a) => Math.max(m, a.no), 0);
        const newAmendments: AmendmentRead[] = [];
        for (const a of [...c.amendments].sort((x, y) => x.no - y.no)) {
          const addA = (k: CK, key: string, params?: Record<string, unknown>) => errors.push({ row: a.row.n, ...a.t.place(k), key, params });
          const was = recorded.find((x) => x.no === a.no);
          if (was) {
            const same = was.reason === a.reason && was.signed_on === a.signedOn && (a.value === null || Money.idr(was.value_after).equals(a.value)) && (a.endDate === null || was.end_after === a.endDate);
            if (!same) addA("version", "import.spse.amendmentDiffers", { number: c.number, no: a.no });
            continue;
          }
          if (a.no !== last + 1) {
            addA("version", "import.spse.versionGap", { number: c.number, no: a.no, expected: last + 1 });
            continue;
          }
          last = a.no;
          if (a.value && a.value.exceeds(cap)) addA("amendedValue", "procure.contract.amendmentTooLarge", { value: a.value.toString(), cap: cap.toString(), original: original.toString() });
          else if (a.value && a.value.exceeds(Money.idr(pkg.pagu))) addA("amendedValue", "procure.contract.abovePagu", { value: a.value.toString(), pagu: pkg.pagu });
          if (a.endDate && start && a.endDate < start) addA("endDate", "procure.package.endBeforeStart");
          newAmendments.push(a);
        }
        contractPlans.push({ c, pkg, old, tender, newAmendments });
      }
      if (errors.length || [...tenders.values()].some((t) => t.bad) || [...contracts.values()].some((c) => c.bad)) throw new Rollback(sortErrors(errors, order));

      // ---- Apply. Vendors first: the NPWPs new to Jejak, registered by this import's actor.
      let vendorsRegistered = 0;
      const qualificationOfNpwp = (npwp: string, pkg: PackageRow) =>
        [...tenders.values()].flatMap((t) => t.bids).find((b) => b.npwp === npwp && b.qualification)?.qualification ??
        [...contracts.values()].find((c) => c.base?.npwp === npwp && c.base.qualification)?.base?.qualification ??
        (pkg.umk ? "kecil" : "non_kecil");
      const vendorId = async (npwp: string, pkg: PackageRow): Promise<string> => {
        const known = vendorByNpwp.get(npwp);
        if (known) return known.id;
        const id = crypto.randomUUID();
        const name = names.get(npwp)!;
        const qualification = qualificationOfNpwp(npwp, pkg);
        await tx.execute(
          "insert into vendor (id, tenant_code, npwp, name, qualification, kbli, created_at, updated_at) values (?, ?, ?, ?, ?, '{}'::text[], ?, ?)",
          [id, tenant, npwp, name, qualification, now, now],
        );
        record({ type: "VendorRegistered", entityType: "Vendor", entityId: id, after: { npwp, name, qualification, source: "spse" } });
        const v = { id, npwp, name };
        vendorByNpwp.set(npwp, v);
        vendorById.set(id, v);
        vendorsRegistered++;
        return id;
      };

      const contractedTenders = new Set(contractPlans.map((p) => p.tender?.code).filter(Boolean));
      const tenderCounts = { created: 0, updated: 0, unchanged: 0 };
      let bidsWritten = 0;
      const tenderIds = new Map<string, string>();
      for (const plan of tenderPlans) {
        const { t, pkg, winner } = plan;
        let old = plan.old;
        const hps = t.hps!;
        const opened = winner?.winnerDate ? wibMidnight(winner.winnerDate) : now;
        const announcedAt = t.announcedOn ? wibMidnight(t.announcedOn) : opened;
        const target = contractedTenders.has(t.code) ? "contracted" : winner ? "winner_announced" : "opened";
        let changed = false;
        if (!old) {
          const id = crypto.randomUUID();
          const [{ attempts }] = await tx.execute<{ attempts: number }[]>("select count(*)::int as attempts from tender where package_id = ?", [pkg.id]);
          await tx.execute(
            `insert into tender (id, tenant_code, package_id, attempt, method, status, code, hps, evaluation_method, qualification, requirements, documents, opened_at, announced_at, source, created_at, updated_at)
             values (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pasca', '', '[]'::jsonb, ?, ?, 'spse', ?, ?)`,
            [id, tenant, pkg.id, attempts + 1, pkg.method, target, t.code, hps.toString(), t.evaluation ?? "harga_terendah", opened, announcedAt, now, now],
          );
          old = { id, package_id: pkg.id, code: t.code, status: target, source: "spse", hps: hps.toString(), evaluation_method: t.evaluation ?? "harga_terendah", winner_bid_id: null };
          record({ type: "TenderImported", entityType: "Tender", entityId: id, after: { source: "spse", package: pkg.id, code: t.code, hps: hps.toString(), method: pkg.method, status: target, bids: t.bids.length } });
          await traceToProposals(tx, record, { tenant, packageId: pkg.id, action: "tender", at: announcedAt, actorName: actor.displayName, details: { package: pkg.name, kodeRup: pkg.kode_rup, method: pkg.method, code: t.code, hps: hps.toString(), source: "spse" } });
          tenderCounts.created++;
        } else {
          const forward = FORWARD.indexOf(target) > FORWARD.indexOf(old.status) ? target : old.status;
          const evaluation = t.evaluation ?? old.evaluation_method;
          if (!Money.idr(old.hps).equals(hps) || evaluation !== old.evaluation_method || forward !== old.status) {
            await tx.execute("update tender set hps = ?, evaluation_method = ?, status = ?, version = version + 1, updated_at = ? where id = ?", [hps.toString(), evaluation, forward, now, old.id]);
            record({ type: "TenderImportChanged", entityType: "Tender", entityId: old.id, before: { hps: old.hps, evaluation: old.evaluation_method, status: old.status }, after: { source: "spse", hps: hps.toString(), evaluation, status: forward } });
            changed = true;
          }
        }
        tenderIds.set(t.code, old.id);
        // The participants: opened bids with clear prices and a sealed copy of the same contents.
        const bids = bidsDb.filter((x) => x.tender_id === old.id);
        let winnerBid: string | null = old.winner_bid_id;
        const opened_: { bid: string; vendor: string; name: string; npwp: string; price: string; corrected: string }[] = [];
        for (const b of t.bids) {
          const vid = await vendorId(b.npwp, pkg);
          const had = bids.find((x) => x.vendor_id === vid);
          let bidId = had?.id ?? null;
          if (!had) {
            bidId = crypto.randomUUID();
            const sealed = seal({ tenderId: old.id, vendorId: vid, bidId }, { price: b.price.toString(), documents: [], note: `SPSE kd_tender ${t.code}` });
            await tx.execute(
              `insert into bid (id, tender_id, vendor_id, status, sealed, sealed_sha256, submitted_at, price, corrected_price, admin_pass, tech_pass, price_pass, qual_pass, rank, evaluated_at)
               values (?, ?, ?, 'opened', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
              [bidId, old.id, vid, sealed, sha256(sealed), opened, b.price.toString(), b.corrected.toString(), ...passes(b.winner), b.winner ? 1 : null, b.winner ? opened : null],
            );
            record({ type: "BidImported", entityType: "Bid", entityId: bidId, after: { source: "spse", tender: old.id, vendor: vid, price: b.price.toString(), correctedPrice: b.corrected.toString(), winner: b.winner } });
            bidsWritten++;
            changed = true;
          } else if (!Money.idr(had.price).equals(b.price) || !Money.idr(had.corrected_price).equals(b.corrected) || (b.winner !== (had.id === old.winner_bid_id))) {
            const sealed = seal({ tenderId: old.id, vendorId: vid, bidId: had.id }, { price: b.price.toString(), documents: [], note: `SPSE kd_tender ${t.code}` });
            await tx.execute(
              "update bid set sealed = ?, sealed_sha256 = ?, price = ?, corrected_price = ?, admin_pass = ?, tech_pass = ?, price_pass = ?, qual_pass = ?, rank = ?, version = version + 1 where id = ?",
              [sealed, sha256(sealed), b.price.toString(), b.corrected.toString(), ...passes(b.winner), b.winner ? 1 : null, had.id],
            );
            record({ type: "BidImportChanged", entityType: "Bid", entityId: had.id, before: { price: had.price, correctedPrice: had.corrected_price }, after: { source: "spse", price: b.price.toString(), correctedPrice: b.corrected.toString(), winner: b.winner } });
            bidsWritten++;
            changed = true;
          }
          if (b.winner) winnerBid = bidId;
          opened_.push({ bid: bidId!, vendor: vid, name: vendorById.get(vid)!.name, npwp: b.npwp, price: b.price.toString(), corrected: b.corrected.toString() });
        }
        if (winner && winnerBid !== old.winner_bid_id) {
          await tx.execute("update tender set winner_bid_id = ? where id = ?", [winnerBid, old.id]);
          const w = opened_.find((x) => x.bid === winnerBid)!;
          await emitProcurement(tx, record, {
            tenant,
            packageId: pkg.id,
            type: "WinnerAnnounced",
            at: opened,
            entityType: "Tender",
            entityId: old.id,
            payload: { tender: old.id, code: t.code, bid: w.bid, vendor: w.vendor, name: w.name, npwp: w.npwp, value: w.corrected, sanggahUntil: null, source: "spse", bids: opened_ },
          });
          changed = true;
        }
        if (plan.old) tenderCounts[changed ? "updated" : "unchanged"]++;
      }

      const contractCounts = { created: 0, updated: 0, unchanged: 0 };
      let amendmentsWritten = 0;
      for (const plan of contractPlans) {
        const { c, pkg } = plan;
        const b = c.base;
        let contract = plan.old;
        let changed = false;
        if (b) {
          const vid = await vendorId(b.npwp, pkg);
          const tenderId = plan.tender ? (tenderIds.get(plan.tender.code) ?? plan.tender.id) : null;
          if (!contract) {
            const id = crypto.randomUUID();
            await tx.execute(
              `insert into contract (id, tenant_code, package_id, tender_id, vendor_id, sppbj_number, sppbj_date, number, signed_on, type, original_value, value, start_date, end_date, status, source, created_at, updated_at)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'signed', 'spse', ?, ?)`,
              [id, tenant, pkg.id, tenderId, vid, b.sppbjNumber, b.sppbjDate, c.number, b.signedOn, b.type, b.value.toString(), b.value.toString(), b.startDate, b.endDate, now, now],
            );
            contract = {
              id, package_id: pkg.id, tender_id: tenderId, vendor_id: vid, sppbj_number: b.sppbjNumber, sppbj_date: b.sppbjDate, number: c.number, signed_on: b.signedOn, type: b.type,
              original_value: b.value.toString(), value: b.value.toString(), start_date: b.startDate, end_date: b.endDate, status: "signed", source: "spse",
            };
            const v = vendorById.get(vid)!;
            const winner = plan.tender?.plan?.winner;
            await emitProcurement(tx, record, {
              tenant, packageId: pkg.id, type: "Awarded", at: wibMidnight(b.sppbjDate), entityType: "Contract", entityId: id,
              payload: { tender: tenderId, code: plan.tender?.code ?? null, contract: id, sppbj: b.sppbjNumber, date: b.sppbjDate, vendor: vid, name: v.name, npwp: v.npwp, value: (winner?.corrected ?? b.value).toString(), source: "spse" },
            });
            await emitProcurement(tx, record, {
              tenant, packageId: pkg.id, type: "ContractSigned", at: wibMidnight(b.signedOn), entityType: "Contract", entityId: id,
              payload: { contract: id, number: c.number, signedOn: b.signedOn, type: b.type, value: b.value.toString(), vendor: vid, name: v.name, startDate: b.startDate, endDate: b.endDate, terms: 0, source: "spse" },
            });
            await traceToProposals(tx, record, { tenant, packageId: pkg.id, action: "contract", at: wibMidnight(b.signedOn), actorName: actor.displayName, details: { package: pkg.name, vendor: v.name, value: b.value.toString(), contract: id, number: c.number, source: "spse" } });
            contractCounts.created++;
          } else {
            const recordedValue = amendmentsDb.filter((a) => a.contract_id === contract!.id).reduce<string | null>((_, a) => a.value_after, null);
            const next = {
              tender_id: tenderId, vendor_id: vid, sppbj_number: b.sppbjNumber, sppbj_date: b.sppbjDate, signed_on: b.signedOn, type: b.type as string,
              original_value: b.value.toString(), value: recordedValue ?? b.value.toString(), start_date: b.startDate,
              end_date: amendmentsDb.filter((a) => a.contract_id === contract!.id && a.end_after).reduce<string | null>((_, a) => a.end_after, null) ?? b.endDate,
            };
            const diff = (Object.keys(next) as (keyof typeof next)[]).filter((k) => String(contract![k] ?? "") !== String(next[k] ?? ""));
            if (diff.length) {
              await tx.execute(
                `update contract set tender_id = ?, vendor_id = ?, sppbj_number = ?, sppbj_date = ?, signed_on = ?, type = ?, original_value = ?, value = ?, start_date = ?, end_date = ?,
                        version = version + 1, updated_at = ? where id = ?`,
                [next.tender_id, next.vendor_id, next.sppbj_number, next.sppbj_date, next.signed_on, next.type, next.original_value, next.value, next.start_date, next.end_date, now, contract.id],
              );
              record({ type: "ContractImportChanged", entityType: "Contract", entityId: contract.id, before: Object.fromEntries(diff.map((k) => [k, contract![k]])), after: { source: "spse", ...Object.fromEntries(diff.map((k) => [k, next[k]])) } });
              contract = { ...contract, ...next };
              changed = true;
            }
          }
          if (tenderId) {
            const [t] = await tx.execute<{ status: string }[]>("select status from tender where id = ?", [tenderId]);
            if (t && FORWARD.indexOf(t.status) < FORWARD.indexOf("contracted")) {
              await tx.execute("update tender set status = 'contracted', version = version + 1, updated_at = ? where id = ?", [now, tenderId]);
              record({ type: "TenderImportChanged", entityType: "Tender", entityId: tenderId, before: { status: t.status }, after: { source: "spse", status: "contracted" } });
            }
          }
        }
        for (const a of plan.newAmendments) {
          const c0 = contract!;
          const valueAfter = a.value ?? Money.idr(c0.value);
          const endAfter = a.endDate ?? c0.end_date;
          await tx.execute(
            "insert into contract_amendment (contract_id, no, reason, value_before, value_after, end_before, end_after, scope, signed_on, created_at, created_by) values (?, ?, ?, ?, ?, ?, ?, '', ?, ?, ?)",
            [c0.id, a.no, a.reason, c0.value, valueAfter.toString(), c0.end_date, endAfter, a.signedOn, now, actor.displayName],
          );
          await tx.execute("update contract set value = ?, end_date = ?, version = version + 1, updated_at = ? where id = ?", [valueAfter.toString(), endAfter, now, c0.id]);
          await emitProcurement(tx, record, {
            tenant, packageId: pkg.id, type: "ContractAmended", at: wibMidnight(a.signedOn), entityType: "Contract", entityId: c0.id,
            before: { value: c0.value, endDate: c0.end_date },
            payload: { contract: c0.id, no: a.no, reason: a.reason, signedOn: a.signedOn, valueBefore: c0.value, valueAfter: valueAfter.toString(), endBefore: c0.end_date, endAfter, scope: "", source: "spse" },
          });
          contract = { ...c0, value: valueAfter.toString(), end_date: endAfter };
          amendmentsWritten++;
          changed = true;
        }
        if (plan.old) contractCounts[changed ? "updated" : "unchanged"]++;
      }
      // Tender codes Jejak hands out itself (createTender) come after every kd_tender taken from SPSE.
      const highest = tenderPlans.filter((x) => !x.old).reduce((m, x) => (BigInt(x.t.code) > m ? BigInt(x.t.code) : m), 0n);
      if (highest > 0n) await tx.execute("select setval('tender_code_seq', greatest(?::bigint, (select last_value from tender_code_seq)))", [highest.toString()]);
      return { ok: true as const, vendors: vendorsRegistered, tenders: tenderCounts, bids: bidsWritten, contracts: contractCounts, amendments: amendmentsWritten };
    });
  } catch (e) {
    if (e instanceof Rollback) return { ok: false, errors: e.errors };
    throw e;
  }
}

/** Tender result rows, grouped by kd_tender; each cell checked on its own. Vendor names by NPWP go to `names`. */
function readTenders(tenderTables: Located<TK>[], errors: ProcSheetError[], names: Map<string, string>): Map<string, TenderRead> {
  const tenders = new Map<string, TenderRead>();
  for (const tt of tenderTables) {
    const r = reader<TK>(tt, T_LABEL, "tenderCode");
    for (const row of tt.body) {
      const before = errors.length;
      const add = (k: TK, key: string, params?: Record<string, unknown>) => errors.push({ row: row.n, ...r.place(k), key, params });
      const code = r.text(row, "tenderCode").replace(/\.0+$/, "");
      const kode = r.text(row, "kodeRup").replace(/\.0+$/, "");
      if (!code) add("tenderCode", "import.proc.required", { header: T_LABEL.tenderCode });
      else if (!/^\d{1,15}$/.test(code)) add("tenderCode", "import.spse.tenderCodeFormat", { value: code });
      if (!kode) add("kodeRup", "import.proc.required", { header: T_LABEL.kodeRup });
      else if (!/^\d{1,12}$/.test(kode)) add("kodeRup", "import.rup.kodeFormat", { value: kode });
      const hps = parseAmountCell(r.cell(row, "hps"));
      if (!hps.ok) add("hps", hps.key, hps.params);
      const npwp = npwpOf(r.text(row, "npwp"));
      if (!npwp) add("npwp", "procure.vendor.npwpFormat", { text: r.text(row, "npwp") });
      const name = r.text(row, "vendorName");
      if (name.length < 3) add("vendorName", "procure.vendor.nameRequired");
      const price = parseAmountCell(r.cell(row, "price"));
      if (!price.ok) add("price", price.key, price.params);
      const correctedCell = r.cell(row, "corrected");
      const corrected = asText(correctedCell) === "" ? price : parseAmountCell(correctedCell);
      if (!corrected.ok && asText(correctedCell) !== "") add("corrected", corrected.key, corrected.params);
      const winnerText = r.text(row, "winner");
      const winner = parseFlag(winnerText);
      if (winner === null) add("winner", "import.proc.flag", { value: winnerText, yes: "Ya", no: "Tidak" });
      const dateText = r.text(row, "winnerDate");
      const winnerDate = dateText ? parseDateCell(r.cell(row, "winnerDate")) : null;
      if (dateText && !winnerDate) add("winnerDate", "import.proc.dateFormat", { value: dateText });
      if (winner && !dateText) add("winnerDate", "import.spse.winnerDateRequired");
      const evaluationText = r.text(row, "evaluation");
      const evaluation = evaluationText ? evaluationOf(evaluationText) : null;
      if (evaluationText && !evaluation) add("evaluation", "import.spse.evaluationUnknown", { value: evaluationText });
      const qualificationText = r.text(row, "qualification");
      const qualification = qualificationText ? qualificationOf(qualificationText) : null;
      if (qualificationText && !qualification) add("qualification", "import.spse.qualificationUnknown", { value: qualificationText });
      const announcedText = r.text(row, "announcedOn");
      const announcedOn = announcedText ? parseDateCell(r.cell(row, "announcedOn")) : null;
      if (announcedText && !announcedOn) add("announcedOn", "import.proc.dateFormat", { value: announcedText });
      if (!code || !/^\d{1,15}$/.test(code)) continue;
      let t = tenders.get(code);
      if (!t) {
        t = { code, kode, hps: hps.ok ? Money.idr(hps.value) : null, evaluation, announcedOn, first: { row, t: r }, bids: [], bad: false };
        tenders.set(code, t);
      } else {
        // One tender, one package and one HPS: every participant's row must say the same.
        const first = `${t.first.t.place("tenderCode").sheet}!${t.first.row.n}`;
        if (kode && t.kode && kode !== t.kode) add("kodeRup", "import.spse.tenderOtherRup", { code, kode: t.kode, first });
        if (hps.ok && t.hps && !Money.idr(hps.value).equals(t.hps)) add("hps", "import.spse.hpsDiffers", { code, hps: t.hps.toString(), first });
        t.evaluation ??= evaluation;
        t.announcedOn ??= announcedOn;
      }
      if (npwp && t.bids.some((b) => b.npwp === npwp)) add("npwp", "import.spse.npwpTwice", { npwp: r.text(row, "npwp"), code });
      if (winner && t.bids.some((b) => b.winner)) add("winner", "import.spse.twoWinners", { code, first: `${t.first.t.place("winner").sheet}!${t.bids.find((b) => b.winner)!.row.n}` });
      if (errors.length > before || !npwp || !price.ok || !corrected.ok) {
        t.bad = true;
        continue;
      }
      if (name) names.set(npwp, name);
      t.bids.push({ row, t: r, npwp, name, price: Money.idr(price.value), corrected: Money.idr(corrected.value), winner: !!winner, winnerDate, qualification });
    }
  }
  return tenders;
}

/** Contract rows, grouped by no_kontrak: version 0 is the contract, 1, 2, … its addenda. */
function readContracts(contractTables: Located<CK>[], errors: ProcSheetError[], names: Map<string, string>): Map<string, ContractRead> {
  const contracts = new Map<string, ContractRead>();
  for (const ct of contractTables) {
    const r = reader<CK>(ct, C_LABEL, "number");
    for (const row of ct.body) {
      const before = errors.length;
      const add = (k: CK, key: string, params?: Record<string, unknown>) => errors.push({ row: row.n, ...r.place(k), key, params });
      const number = r.text(row, "number").slice(0, 200);
      if (number.length < 3) add("number", "procure.contract.numberRequired");
      const versionText = r.text(row, "version");
      const no = versionText === "" ? 0 : /^\d{1,3}$/.test(versionText.replace(/\.0+$/, "")) ? Number(versionText.replace(/\.0+$/, "")) : NaN;
      if (Number.isNaN(no)) add("version", "import.spse.versionFormat", { value: versionText });
      const date = (k: CK, required: boolean): string | null => {
        const text = r.text(row, k);
        if (!text) {
          if (required) add(k, "import.proc.required", { header: C_LABEL[k] });
          return null;
        }
        const d = parseDateCell(r.cell(row, k));
        if (!d) add(k, "import.proc.dateFormat", { value: text });
        return d;
      };
      if (number.length < 3 || Number.isNaN(no)) continue;
      let c = contracts.get(number);
      if (!c) contracts.set(number, (c = { number, base: null, amendments: [], first: { row, t: r }, bad: false }));
      const firstOf = (n: Row) => `${r.place("number").sheet}!${n.n}`;
      if (no === 0) {
        if (c.base) {
          add("version", "import.spse.versionTwice", { number, no, first: firstOf(c.base.row) });
          continue;
        }
        const kode = r.text(row, "kodeRup").replace(/\.0+$/, "");
        const tenderCode = r.text(row, "tenderCode").replace(/\.0+$/, "");
        if (!kode && !tenderCode) add(r.has("kodeRup") ? "kodeRup" : "tenderCode", "import.spse.packageRequired");
        if (kode && !/^\d{1,12}$/.test(kode)) add("kodeRup", "import.rup.kodeFormat", { value: kode });
        if (tenderCode && !/^\d{1,15}$/.test(tenderCode)) add("tenderCode", "import.spse.tenderCodeFormat", { value: tenderCode });
        const signedOn = date("signedOn", true);
        const value = parseAmountCell(r.cell(row, "value"));
        if (!value.ok) add("value", value.key, value.params);
        const npwp = npwpOf(r.text(row, "npwp"));
        if (!npwp) add("npwp", "procure.vendor.npwpFormat", { text: r.text(row, "npwp") });
        const name = r.text(row, "vendorName");
        const startDate = date("startDate", true);
        const endDate = date("endDate", true);
        if (startDate && endDate && endDate < startDate) add("endDate", "procure.package.endBeforeStart");
        const typeText = r.text(row, "type");
        const type = typeText ? contractTypeOf(typeText) : null;
        if (!type) add("type", typeText ? "import.spse.contractTypeUnknown" : "import.proc.required", { value: typeText, header: C_LABEL.type });
        const sppbjDate = r.text(row, "sppbjDate") ? date("sppbjDate", false) : signedOn;
        const qualificationText = r.text(row, "qualification");
        const qualification = qualificationText ? qualificationOf(qualificationText) : null;
        if (qualificationText && !qualification) add("qualification", "import.spse.qualificationUnknown", { value: qualificationText });
        if (errors.length > before) {
          c.bad = true;
          continue;
        }
        if (name) names.set(npwp!, name);
        c.base = {
          row,
          t: r,
          kode,
          tenderCode,
          signedOn: signedOn!,
          value: Money.idr((value as { value: string }).value),
          npwp: npwp!,
          name,
          startDate: startDate!,
          endDate: endDate!,
          type: type!,
          sppbjNumber: r.text(row, "sppbjNumber").slice(0, 200) || number,
          sppbjDate: sppbjDate!,
          qualification,
        };
      } else {
        const seen = c.amendments.find((a) => a.no === no);
        if (seen) {
          add("version", "import.spse.versionTwice", { number, no, first: firstOf(seen.row) });
          continue;
        }
        const reason = r.text(row, "reason");
        if (reason.length < 10) add("reason", "procure.reasonRequired");
        const valueCell = r.has("amendedValue") ? r.cell(row, "amendedValue") : "";
        const value = asText(valueCell) === "" ? null : parseAmountCell(valueCell);
        if (value && !value.ok) add("amendedValue", value.key, value.params);
        const endDate = r.text(row, "endDate") ? date("endDate", false) : null;
        const signedOn = r.text(row, "amendedOn") ? date("amendedOn", false) : date("signedOn", true);
        if (errors.length > before) {
          c.bad = true;
          continue;
        }
        c.amendments.push({ row, t: r, no, reason, value: value && value.ok ? Money.idr(value.value) : null, endDate, signedOn: signedOn! });
      }
    }
  }
  return contracts;
}

/** NPWP digits, or null when the cell is not one (15 or 16 digits, dots, dashes and spaces ignored). */
function npwpOf(text: string): string | null {
  try {
    return parseNpwp(text);
  } catch {
    return null;
  }
}

/** admin, technical, price, qualification: the winner passed all four; the others' results are not in the export. */
const passes = (winner: boolean) => (winner ? [true, true, true, true] : [null, null, null, null]);

/** The winner of a tender already in Jejak: its vendor's NPWP and name, and the winning corrected price. */
async function dbWinner(tx: EntityManager, tenderId: string): Promise<{ npwp: string; name: string; price: Money } | null> {
  const [w] = await tx.execute<{ npwp: string; name: string; price: string }[]>(
    "select v.npwp, v.name, b.corrected_price::text as price from tender t join bid b on b.id = t.winner_bid_id join vendor v on v.id = b.vendor_id where t.id = ?",
    [tenderId],
  );
  return w ? { npwp: w.npwp, name: w.name, price: Money.idr(w.price) } : null;
}
