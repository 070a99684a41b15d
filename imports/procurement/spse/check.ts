import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../../domain/identity/actor";
import { Money } from "../../../domain/kernel/money";
import { pgArray } from "../../../domain/kernel/pg";
import { AMENDMENT_MAX_INCREASE } from "../../../domain/procurement/contracts";
import { COMPETITIVE, type Method } from "../../../domain/procurement/vocabulary";
import { ImportRefused, sortErrors } from "../sheet-tables";
import type { CK, TK } from "./layout";
import type { AmendmentRead, BidRead, ContractRead, SpseRead, TenderRead } from "./read";

/**
 * Checking SPSE's rows against the database (rows → errors by sheet, row and column), inside the import's
 * transaction with the packages, tenders and contracts concerned locked: each tender and contract linked
 * to its announced RUP package by kode RUP, one live selection and one live contract per package, HPS
 * within the pagu, the winner within the HPS, the contract with the winner and within the winning price
 * and the pagu, addenda in order and at most 10% above the original value, no blacklisted vendor. Nothing
 * is written here; any problem throws ImportRefused with every problem found.
 */

const SELECTION: readonly Method[] = [...COMPETITIVE, "pengadaan_langsung", "penunjukan_langsung"];

export interface SpsePackage {
  id: string;
  kode_rup: string;
  status: string;
  method: Method;
  pagu: string;
  umk: boolean;
  name: string;
}
export interface TenderDb {
  id: string;
  package_id: string;
  code: string;
  status: string;
  source: string;
  hps: string;
  evaluation_method: string;
  winner_bid_id: string | null;
}
export interface ContractDb {
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

export type TenderPlan = { t: TenderRead; pkg: SpsePackage; old: TenderDb | null; winner: BidRead | null };
export type ContractPlan = { c: ContractRead; pkg: SpsePackage; old: ContractDb | null; tender: { code: string; id: string | null; plan: TenderPlan | null } | null; newAmendments: AmendmentRead[] };

/** A checked file: what to write, in order, and what the database holds (vendors and their maps grow as apply registers new ones). */
export interface SpseChecked {
  tenderPlans: TenderPlan[];
  contractPlans: ContractPlan[];
  vendorByNpwp: Map<string, { id: string; npwp: string; name: string }>;
  vendorById: Map<string, { id: string; npwp: string; name: string }>;
  bidsDb: { id: string; tender_id: string; vendor_id: string; price: string; corrected_price: string }[];
  amendmentsDb: { contract_id: string; no: number; reason: string; value_after: string; end_after: string | null; signed_on: string }[];
}

export async function checkSpse(tx: EntityManager, actor: Actor, read: SpseRead): Promise<SpseChecked> {
  const tenant = actor.tenant;
  const { tenders, contracts, names, errors, order } = read;
  // ---- What the database holds, locked: packages, vendors, tenders, contracts.
  const kodes = [...new Set([...[...tenders.values()].map((t) => t.kode), ...[...contracts.values()].map((c) => c.base?.kode ?? "")].filter((k) => /^\d{1,12}$/.test(k)))];
  const tenderCodes = [...new Set([...tenders.keys(), ...[...contracts.values()].map((c) => c.base?.tenderCode ?? "").filter(Boolean)])];
  const tendersDb = await tx.execute<TenderDb[]>(
    `select id, package_id, code, status, source, hps::text as hps, evaluation_method, winner_bid_id from tender where tenant_code = ? and code = any(?::text[]) order by id for update`,
    [tenant, pgArray(tenderCodes)],
  );
  const tenderByCode = new Map(tendersDb.map((t) => [t.code, t]));
  const packagesDb = await tx.execute<SpsePackage[]>(
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
  if (errors.length || [...tenders.values()].some((t) => t.bad) || [...contracts.values()].some((c) => c.bad)) throw new ImportRefused(sortErrors(errors, order));
  return { tenderPlans, contractPlans, vendorByNpwp, vendorById, bidsDb, amendmentsDb };
}

/** The winner of a tender already in Jejak: its vendor's NPWP and name, and the winning corrected price. */
async function dbWinner(tx: EntityManager, tenderId: string): Promise<{ npwp: string; name: string; price: Money } | null> {
  const [w] = await tx.execute<{ npwp: string; name: string; price: string }[]>(
    "select v.npwp, v.name, b.corrected_price::text as price from tender t join bid b on b.id = t.winner_bid_id join vendor v on v.id = b.vendor_id where t.id = ?",
    [tenderId],
  );
  return w ? { npwp: w.npwp, name: w.name, price: Money.idr(w.price) } : null;
}
