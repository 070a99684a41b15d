import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../../domain/audit/transact";
import type { Actor } from "../../domain/identity/actor";
import { assertCan } from "../../domain/identity/policy";
import type { Clock } from "../../domain/kernel/clock";
import { ImportRefused, type ProcSheetError, type UploadedFile } from "./sheet-tables";
import { applySpse } from "./spse/apply";
import { checkSpse } from "./spse/check";
import { readSpse } from "./spse/read";

export { MAX_SPSE_ROWS } from "./spse/layout";

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
 *
 * In three steps, each its own module: spse/read.ts (Excel or CSV → rows, cell errors), spse/check.ts
 * (rows → errors by sheet, row and column against the database, and the plans), spse/apply.ts (the plans
 * written, with their events); spse/layout.ts holds the columns and SPSE's words.
 */

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

export async function importSpseSheet(em: EntityManager, actor: Actor, clock: Clock, files: readonly UploadedFile[]): Promise<SpseImportResult> {
  assertCan(actor, "procure.vendor.manage", { tenant: actor.tenant });
  const read = await readSpse(files);
  if ("ok" in read) return read;
  try {
    return await transact(em, actor, clock, async (tx, record) => {
      const now = clock.now();
      const checked = await checkSpse(tx, actor, read);
      return { ok: true as const, ...(await applySpse(tx, actor, now, record, read, checked)) };
    });
  } catch (e) {
    if (e instanceof ImportRefused) return { ok: false, errors: e.errors };
    throw e;
  }
}
