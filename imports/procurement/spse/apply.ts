import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../../domain/identity/actor";
import type { DomainEvent } from "../../../domain/kernel/events";
import { Money } from "../../../domain/kernel/money";
import { emitProcurement, traceToProposals } from "../../../domain/procurement/events";
import { seal, sha256 } from "../../../domain/procurement/sealing";
import type { SpseChecked, SpsePackage } from "./check";
import type { SpseRead } from "./read";

/**
 * Applying checked SPSE rows, inside the import's transaction: vendors new to Jejak registered (as the
 * import's actor), tenders with their participants as opened bids (and a sealed copy of the same
 * contents, so the model's invariant holds), contracts and their addenda — with the events the OCDS
 * publication is built from (WinnerAnnounced, Awarded, ContractSigned, ContractAmended, each marked
 * `source: "spse"`) and the proposals' timelines. There are no domain use cases for a selection that ran
 * outside Jejak: the rows are written here, under the rules checkSpse has enforced.
 */

/** Statuses an imported tender moves through, in order: a re-import never moves one back. */
const FORWARD = ["opened", "evaluated", "winner_announced", "sppbj", "contracted"];
/** A date as a moment: the start of that day in WIB. */
const wibMidnight = (date: string) => new Date(`${date}T00:00:00+07:00`);

/** admin, technical, price, qualification: the winner passed all four; the others' results are not in the export. */
const passes = (winner: boolean) => (winner ? [true, true, true, true] : [null, null, null, null]);

export async function applySpse(tx: EntityManager, actor: Actor, now: Date, record: (e: DomainEvent) => void, read: SpseRead, checked: SpseChecked) {
  const tenant = actor.tenant;
  const { tenders, contracts, names } = read;
  const { tenderPlans, contractPlans, vendorByNpwp, vendorById, bidsDb, amendmentsDb } = checked;
  // ---- Apply. Vendors first: the NPWPs new to Jejak, registered by this import's actor.
  let vendorsRegistered = 0;
  const qualificationOfNpwp = (npwp: string, pkg: SpsePackage) =>
    [...tenders.values()].flatMap((t) => t.bids).find((b) => b.npwp === npwp && b.qualification)?.qualification ??
    [...contracts.values()].find((c) => c.base?.npwp === npwp && c.base.qualification)?.base?.qualification ??
    (pkg.umk ? "kecil" : "non_kecil");
  const vendorId = async (npwp: string, pkg: SpsePackage): Promise<string> => {
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
  return { vendors: vendorsRegistered, tenders: tenderCounts, bids: bidsWritten, contracts: contractCounts, amendments: amendmentsWritten };
}
