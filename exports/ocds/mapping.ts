import { D } from "../../domain/kernel/money";
import type { JsonObject } from "./schema";
import { AWARD_CRITERIA, CATEGORY, CONTRACT_STATUS, CONTRACT_TYPE, documentTypeOf, procurementMethodOf, progressOf, STAGES, SWAKELOLA_TYPE, TENDER_STATUS } from "./mapping/codes";
import { fundingParty, funderParty, opdParty, opdRef, ref, SCHEME_KEMENDAGRI, vendorParty, vendorRef } from "./mapping/parties";
import type { ProcessSnapshot, SnapshotBid, SnapshotContract, SnapshotTender, SnapshotVendor } from "./mapping/snapshot";
import { packageAmendmentNotice } from "./mapping/package-amendment";
import { compact, dayEnd, dayStart, dayText, idr, moment, percentNumber, period, rupiahText, wibDay } from "./mapping/values";

export type { ProcessSnapshot } from "./mapping/snapshot";

/**
 * Procurement events as OCDS 1.1 releases: a pure function of the event and of the contracting process as
 * it stands right after it (a ProcessSnapshot). No database, no clock, no environment: the options say
 * what the deployment decides (ocid prefix, public address, declared extensions).
 *
 * One contracting process (one ocid) per RUP package: `<prefix>-<tenant>-<package id>`. A retender is a
 * new selection (attempt) of the same package, so it stays in the same process: `tender.id` is the current
 * selection's kode tender, and the objects of earlier attempts keep their own ids (prefixed by their kode
 * tender) in the merged record, with their final statuses.
 *
 * Every release carries the sections its event is about, complete as of the event (the merge then only
 * ever updates or adds, never loses):
 *
 *   PackagePlanned      planning (planningUpdate for an older re-import's `update`; now PackageAmended): budget with a breakdown
 *                       per DPA line, rationale, kode RUP and the Musrenbang proposals behind it (Jejak's
 *                       extension); the planned tender (status planned, method, category, value = pagu).
 *   PackageAmended      planningUpdate: an announced package changed (a RUP re-import): planning as it is now,
 *                       a notice of what changed (before → after) among its documents; the planned tender.
 *   PackageCancelled    planningUpdate: the reason as a cancellationDetails document; tender cancelled.
 *   TenderAnnounced     tender: the selection (value = HPS, method, periods and milestones from the schedule,
 *                       documents, award criteria).
 *   TenderAmended       tenderAmendment: the selection after the addendum, and the addendum in
 *                       tender.amendments (id, date, rationale, description, amendsReleaseID, releaseID —
 *                       not the deprecated `changes`).
 *   TenderOpened        tenderUpdate: tenderers and bids (bid extension: every opened bid, status pending).
 *   WinnerAnnounced     award: the award pending (sanggah period), bids with their evaluation results.
 *   Awarded             award / awardUpdate: the award active (SPPBJ); for an e-purchasing order, pending
 *                       until the vendor accepts it.
 *   TenderCancelled,    tenderCancellation: tender cancelled / unsuccessful, the reason as a document, any
 *   TenderFailed        award of the selection cancelled (awardCancellation).
 *   OrderRefused,       awardCancellation: an e-purchasing order's award unsuccessful (the vendor refused it)
 *   OrderWithdrawn      or cancelled (the PPK withdrew it), the reason as a document of the award.
 *   ContractSigned      contract (active), its payment terms as payment milestones.
 *   ContractAmended     contractAmendment: the contract after the amendment, and the amendment.
 *   ContractTerminated  contractTermination: status terminated, the reason as a document.
 *
 *   ProgressVerified,   implementation: the contract's implementation as of the event (e-Monev, #9) — every
 *   PaymentRecorded     verified progress report as a reporting milestone (cumulative physical progress
 *                       against the kurva S), every payment (its SP2D) as a transaction from the OPD (payer)
 *                       to the vendor (payee). Once a contract is paid, the OPD is payer and the vendor payee
 *                       in every later release.
 *   ContractCompleted   contractTermination: the final handover (FHO) closes the contract (status terminated, as
 *                       OCDS names a contract come to a close), with its implementation.
 *
 * Stable ids of objects in arrays (the merge identifies them by id):
 *   parties                      see mapping/parties.ts (IDN-KEMENDAGRI-…, IDN-NPWP-…)
 *   planning.budget.budgetBreakdown   the DPA line's line_key (stable across APBD versions)
 *   planning.musrenbangProposals      the proposal's id
 *   planning.documents           "halaman-publik" (the package's public page, /pengadaan/<package id>: the
 *                                record links back to the page that links it); cancellation: "pembatalan-paket"
 *                                a RUP change (PackageAmended): "perubahan-rup-<procurement_event id>"
 *   tender.items                 "1" (a package is one item; lots are not used)
 *   tender.documents             "<kode tender>-<n>" (n = position in the dokumen pemilihan list, which does
 *                                not change once announced); cancellation: "<kode tender>-pembatalan"
 *   tender.milestones            "<kode tender>-<stage>"
 *   tender.amendments            "<kode tender>-<addendum no>"
 *   bids.details                 the bid's id; bids.statistics "<kode tender>-<measure>"
 *   awards                       the winning bid's id (one award per winner ever named: a re-evaluation
 *                                that names another winner cancels the first award instead of rewriting
 *                                its supplier, which the merge could not remove); without a bid (an
 *                                e-purchasing order, an SPSE contract without results) the contract's id
 *   awards.documents             an order refused or withdrawn: "<contract id>-pembatalan"
 *   contracts                    the contract's id; contracts.amendments the adendum number;
 *                                contracts.milestones "termin-<n>"; contracts.implementation.milestones
 *                                "progres-<period no>", contracts.implementation.transactions "pembayaran-<no>"
 */

export interface MappingOptions {
  /** The ocid prefix (`OCDS_PREFIX`). */
  prefix: string;
  /** The app's public address (no trailing slash), for links to public pages; none when unknown. */
  publicUrl?: string | null;
  /** The budget_and_spend extension is declared: budget breakdowns carry their classifications. */
  classifications?: boolean;
}

/** The event a release publishes (procurement_event and what emitProcurement was given). */
export interface ReleaseEvent {
  /** procurement_event.id. */
  id: string;
  type: string;
  at: Date;
  entityType: string;
  entityId: string;
  payload: Record<string, unknown>;
}

export class OcdsMappingError extends Error {
  override name = "OcdsMappingError";
}

export const ocidOf = (prefix: string, tenant: string, packageId: string) => `${prefix}-${tenant}-${packageId}`;
export const releaseIdOf = (ocid: string, eventId: string) => `${ocid}-${eventId}`;

/** The OCDS release of an event (its `tag` says what kind of release it is). */
export function buildRelease(e: ReleaseEvent, s: ProcessSnapshot, o: MappingOptions): JsonObject {
  return new ReleaseBuilder(e, s, o).build();
}

/** Where a process stands: every award it has made or proposed, with its status now. */
interface AwardInfo {
  id: string;
  tender: SnapshotTender | null;
  bid: SnapshotBid | null;
  contract: SnapshotContract | null;
  vendorId: string;
  status: "pending" | "active" | "cancelled" | "unsuccessful";
  date: string | null;
  value: string;
}

class ReleaseBuilder {
  readonly ocid: string;
  readonly id: string;
  readonly vendors: Map<string, SnapshotVendor>;
  readonly awards: AwardInfo[];
  readonly roles: Map<string, Set<string>>;
  readonly parties = new Map<string, JsonObject>();

  constructor(
    readonly e: ReleaseEvent,
    readonly s: ProcessSnapshot,
    readonly o: MappingOptions,
  ) {
    this.ocid = ocidOf(o.prefix, s.tenant.code, s.package.id);
    this.id = releaseIdOf(this.ocid, e.id);
    this.vendors = new Map(s.vendors.map((v) => [v.id, v]));
    this.awards = allAwards(s);
    this.roles = vendorRoles(s, this.awards);
  }

  build(): JsonObject {
    const { e, s } = this;
    const opd = opdParty(s);
    if (s.contracts.some((c) => c.paid)) opd.roles = [...(opd.roles as string[]), "payer"];
    this.parties.set("opd", opd);
    const sections: JsonObject = {};
    let tag: string[];
    switch (e.type) {
      case "PackagePlanned":
        tag = [e.payload.update ? "planningUpdate" : "planning"];
        sections.planning = this.planning();
        // The planned tender, until a selection or an order exists (a RUP re-import must not set it back).
        if (s.package.type !== "swakelola" && !s.tenders.some((t) => t.announcedAt) && !s.contracts.length) sections.tender = this.plannedTender();
        break;
      case "PackageAmended": {
        tag = ["planningUpdate"];
        const planning = this.planning();
        planning.documents = [...((planning.documents as JsonObject[] | undefined) ?? []), packageAmendmentNotice(e, s.package.kodeRup)];
        sections.planning = planning;
        if (s.package.type !== "swakelola" && !s.tenders.some((t) => t.announcedAt) && !s.contracts.length) sections.tender = this.plannedTender();
        break;
      }
      case "PackageCancelled":
        tag = ["planningUpdate"];
        sections.planning = { documents: [this.cancellation("pembatalan-paket", "Paket dibatalkan", s.package.cancelReason || String(e.payload.reason ?? ""))] };
        if (s.package.type !== "swakelola") sections.tender = { id: this.currentTenderId(), status: "cancelled" };
        break;
      case "TenderAnnounced":
      case "TenderAmended":
      case "TenderOpened":
      case "WinnerAnnounced":
      case "TenderCancelled":
      case "TenderFailed": {
        const t = this.tenderOfEvent();
        tag = [{ TenderAnnounced: "tender", TenderAmended: "tenderAmendment", TenderOpened: "tenderUpdate", WinnerAnnounced: "award", TenderCancelled: "tenderCancellation", TenderFailed: "tenderCancellation" }[e.type]!];
        const tender = t.announcedAt ? this.tender(t) : { id: t.code, title: s.package.name, status: TENDER_STATUS[t.status] };
        if (e.type === "TenderAmended") tender.amendments = [this.addendum(t)];
        if (e.type === "TenderCancelled" || e.type === "TenderFailed") {
          const docs = (tender.documents as JsonObject[] | undefined) ?? [];
          docs.push(this.cancellation(`${t.code}-pembatalan`, e.type === "TenderFailed" ? "Tender gagal" : "Tender dibatalkan", t.failureReason || String(e.payload.reason ?? "")));
          tender.documents = docs;
        }
        sections.tender = tender;
        if (t.bids.length && e.type !== "TenderAnnounced" && e.type !== "TenderAmended") sections.bids = this.bids(t);
        const awards = this.awards.filter((a) => a.tender?.id === t.id);
        if (awards.length && (e.type === "WinnerAnnounced" || e.type === "TenderCancelled" || e.type === "TenderFailed")) {
          sections.awards = awards.map((a) => this.award(a));
          if (e.type !== "WinnerAnnounced") tag.push("awardCancellation");
        }
        break;
      }
      case "Awarded": {
        const c = this.contractOfEvent();
        const a = this.awardOf(c);
        tag = [a.bid && s.winners.some((w) => w.bidId === a.bid!.id) ? "awardUpdate" : "award"];
        if (a.tender) sections.tender = this.tender(a.tender);
        else sections.tender = this.standInTender(c);
        sections.awards = [this.award(a)];
        break;
      }
      case "OrderRefused":
      case "OrderWithdrawn": {
        // The order's award will not be made: unsuccessful when the vendor refused it, cancelled when the PPK withdrew it.
        const c = this.contractOfEvent();
        const refused = e.type === "OrderRefused";
        tag = ["awardCancellation"];
        const award = this.award({ ...this.awardOf(c), status: refused ? "unsuccessful" : "cancelled" });
        award.documents = [this.cancellation(`${c.id}-pembatalan`, refused ? "Surat pesanan ditolak penyedia" : "Surat pesanan ditarik PPK", c.terminationReason || String(e.payload.reason ?? ""))];
        sections.awards = [award];
        break;
      }
      case "ContractSigned":
      case "ContractAmended":
      case "ContractTerminated": {
        const c = this.contractOfEvent();
        tag = [{ ContractSigned: "contract", ContractAmended: "contractAmendment", ContractTerminated: "contractTermination" }[e.type]!];
        const a = this.awardOf(c);
        if (!a.tender && e.type === "ContractSigned") {
          // An order's award becomes active when the vendor accepts it: the contract is then signed.
          sections.tender = this.standInTender(c);
          sections.awards = [this.award(a)];
        }
        const contract = this.contract(c, a);
        if (e.type === "ContractAmended") contract.amendments = [this.contractAmendment(c)];
        if (e.type === "ContractTerminated")
          contract.documents = [this.cancellation(`${c.id}-pemutusan`, "Pemutusan kontrak", c.terminationReason || String(e.payload.reason ?? ""))];
        sections.contracts = [contract];
        break;
      }
      case "ProgressVerified":
      case "PaymentRecorded":
      case "ContractCompleted": {
        const c = this.contractOfEvent();
        const a = this.awardOf(c);
        tag = [e.type === "ContractCompleted" ? "contractTermination" : "implementation"];
        const contract = e.type === "ContractCompleted" ? this.contract(c, a) : { id: c.id, awardID: a.id, status: CONTRACT_STATUS[c.status] };
        // A verified report or a payment publishes only its own milestone or transaction: they merge by id
        // into the record, so a release stays small however long the contract has run. The contract's close
        // carries its whole implementation.
        const only = e.type === "ProgressVerified" ? { report: String(e.payload.report ?? "") } : e.type === "PaymentRecorded" ? { payment: String(e.payload.payment ?? "") } : null;
        contract.implementation = this.implementation(c, only);
        sections.contracts = [contract];
        break;
      }
      default:
        throw new OcdsMappingError(`no OCDS release for the event type ${e.type}`);
    }
    return compact({
      ocid: this.ocid,
      id: this.id,
      date: moment(e.at),
      tag,
      initiationType: "tender",
      title: s.package.name,
      description: s.package.description,
      language: "id",
      parties: [...this.parties.values()],
      buyer: opdRef(s),
      ...sections,
    });
  }

  // -------------------------------------------------------------------------------------------------
  // Planning

  planning(): JsonObject {
    const { s, o } = this;
    const p = s.package;
    const fiscalYear = period(dayStart(`${p.year}-01-01`), dayEnd(`${p.year}-12-31`));
    const breakdown = s.lines.map((l) => {
      const funder = fundingParty(s, l.fundingSource);
      if (!this.parties.has(funder.id)) this.parties.set(funder.id, funderParty(s, funder));
      return compact({
        id: l.lineKey,
        description: [
          l.subCode ? `Sub kegiatan ${l.subCode} ${l.subName ?? ""}`.trim() : null,
          l.accountCode ? `${l.accountCode} ${l.description ?? ""}`.trim() : null,
          l.fundingSource ? `sumber dana ${l.fundingSource}` : null,
        ]
          .filter(Boolean)
          .join(" · "),
        amount: idr(l.amount),
        period: fiscalYear,
        sourceParty: ref(funder),
        classifications: o.classifications ? { subKegiatan: l.subCode, kodeRekening: l.accountCode, sumberDana: l.fundingSource } : null,
      });
    });
    const base = o.publicUrl?.replace(/\/+$/, "") ?? null;
    const proposals = s.proposals.map((u) =>
      compact({
        id: u.id,
        title: u.title,
        description: u.problem,
        source: u.source,
        forumLevel: u.forumLevel,
        regionCode: u.desaCode,
        estimatedCost: idr(u.estimatedCost),
        beneficiaries: u.beneficiaries,
        uri: base ? `${base}/usulan/${u.id}` : null,
        relatedBudgetBreakdowns: s.lines.filter((l) => l.subCode === u.subCode).map((l) => l.lineKey),
      }),
    );
    return compact({
      rationale: this.rationale(),
      budget: {
        description: `DPA ${s.opd.name} tahun anggaran ${p.year}`,
        amount: idr(p.pagu),
        project: s.subActivity?.name ?? null,
        projectID: s.subActivity?.code ?? null,
        budgetBreakdown: breakdown,
      },
      rupCode: p.kodeRup,
      musrenbangProposals: proposals,
      // The public page of the package (and of its tenders and contracts), which links this record's JSON.
      documents: base
        ? [
            {
              id: "halaman-publik",
              documentType: "plannedProcurementNotice",
              title: `Halaman publik paket pengadaan: ${p.name}`,
              description: "Rencana, pemilihan penyedia dan kontrak paket ini di Jejak, terbuka untuk umum.",
              url: `${base}/pengadaan/${p.id}`,
              datePublished: moment(p.announcedAt),
              format: "text/html",
              language: "id",
            },
          ]
        : null,
    });
  }

  rationale(): string {
    const { s } = this;
    const p = s.package;
    const parts: string[] = [];
    if (p.description) parts.push(sentences(p.description));
    if (s.subActivity) {
      const a = s.subActivity;
      parts.push(`Sub kegiatan ${a.code} ${a.name}; indikator: ${a.indicator} (target ${trimNumber(a.target)} ${a.unit}).`);
    }
    if (p.type === "swakelola" && p.swakelolaType) parts.push(`${SWAKELOLA_TYPE[p.swakelolaType] ?? "Swakelola"}.`);
    const n = s.proposals.length;
    if (n) {
      const pokir = s.proposals.filter((u) => u.source === "pokir").length;
      const what = pokir === 0 ? "usulan Musrenbang" : pokir === n ? "pokok pikiran DPRD" : "usulan Musrenbang dan pokok pikiran DPRD";
      parts.push(`Menindaklanjuti ${n} ${what}.`);
    }
    return parts.join(" ") || `Paket ${p.name} dalam RUP ${s.opd.name} tahun anggaran ${p.year}.`;
  }

  // -------------------------------------------------------------------------------------------------
  // Tender

  /** The tender id the process has now: the latest announced selection's kode tender, else the kode RUP. */
  currentTenderId(): string {
    const announced = this.s.tenders.filter((t) => t.announcedAt).sort((a, b) => b.attempt - a.attempt);
    return announced[0]?.code ?? this.s.package.kodeRup ?? this.s.package.id;
  }

  /** What every tender section says about the package (its item, value, method, category, periods). */
  tenderCommon(qualification: "pasca" | "pra" | null): JsonObject {
    const { s } = this;
    const p = s.package;
    const m = procurementMethodOf(p.method, qualification);
    const cat = CATEGORY[p.kind];
    const eligibility = sentences(p.umk ? "Dicadangkan untuk usaha mikro, usaha kecil dan koperasi" : null, p.pdn ? "Wajib menggunakan produk dalam negeri" : null);
    return compact({
      title: p.name,
      description: p.description,
      procuringEntity: opdRef(s),
      items: [this.item()],
      procurementMethod: m.method,
      procurementMethodDetails: m.details,
      procurementMethodRationale: this.methodRationale(m.details),
      mainProcurementCategory: cat.main,
      additionalProcurementCategories: cat.additional,
      eligibilityCriteria: eligibility,
      contractPeriod: period(dayStart(p.executionStart), dayEnd(p.executionEnd)),
    });
  }

  /** The rule that allows the method for this kind and value on the planning date, in the regulation's words. */
  methodRationale(method: string): string | null {
    const { rule } = this.s;
    if (!rule) return null;
    const what = `${method} untuk ${CATEGORY[this.s.package.kind].label.toLowerCase()}`;
    const min = rule.minValue ? new D(rule.minValue) : null;
    const limit = [
      min ? (min.mod(1).eq("0.01") ? `lebih dari ${rupiahText(min.minus("0.01").toFixed(2))}` : `paling sedikit ${rupiahText(min.toFixed(2))}`) : null,
      rule.maxValue ? `paling banyak ${rupiahText(rule.maxValue)}` : null,
    ].filter(Boolean);
    return `${rule.regulation} ${rule.article}: ${what}${limit.length ? ` bernilai ${limit.join(" dan ")}` : ""}.`;
  }

  item(): JsonObject {
    const { s } = this;
    const p = s.package;
    return compact({
      id: "1",
      description: p.volume ? `${p.name} (${p.volume})` : p.name,
      deliveryLocations: s.locations.map((l) => compact({ description: [l.name, l.detail].filter(Boolean).join(" — "), gazetteer: { scheme: SCHEME_KEMENDAGRI, identifiers: [l.code] } })),
    });
  }

  /** The tender as the RUP plans it, before any selection (and, for e-purchasing, the only one there is). */
  plannedTender(): JsonObject {
    const p = this.s.package;
    return compact({ id: p.kodeRup ?? p.id, status: "planned", ...this.tenderCommon(null), value: idr(p.pagu) });
  }

  /** The tender of a process without a selection (an e-purchasing order, a contract imported alone). */
  standInTender(c: SnapshotContract): JsonObject {
    return { ...this.plannedTender(), status: c.status === "sppbj" ? "active" : c.status === "cancelled" ? "cancelled" : "complete" };
  }

  tenderOfEvent(): SnapshotTender {
    const id = String(this.e.payload.tender ?? this.e.entityId);
    const t = this.s.tenders.find((x) => x.id === id);
    if (!t) throw new OcdsMappingError(`${this.e.type}: the selection ${id} is not in package ${this.s.package.id}`);
    return t;
  }

  contractOfEvent(): SnapshotContract {
    const id = String(this.e.payload.contract ?? this.e.entityId);
    const c = this.s.contracts.find((x) => x.id === id);
    if (!c) throw new OcdsMappingError(`${this.e.type}: the contract ${id} is not in package ${this.s.package.id}`);
    return c;
  }

  tender(t: SnapshotTender): JsonObject {
    const stage = (name: string) => t.stages.find((x) => x.stage === name) ?? null;
    const upload = stage("upload_penawaran");
    const enquiry = stage("aanwijzing");
    const assessFrom = stage("evaluasi") ?? stage("negosiasi") ?? stage("pembukaan");
    const decideBy = stage("sppbj") ?? stage("pengumuman_pemenang") ?? stage("evaluasi") ?? stage("negosiasi");
    const opened = t.openedAt !== null;
    const tenderers = opened ? uniqueVendors(t.bids.map((b) => b.vendorId)).map((id) => this.vendor(id)) : [];
    const criteria = AWARD_CRITERIA[t.evaluationMethod];
    const common = this.tenderCommon(t.qualification);
    const awarded = this.awards.some((a) => a.tender?.id === t.id && a.status === "active");
    return compact({
      id: t.code,
      status: awarded && TENDER_STATUS[t.status] === "active" ? "complete" : TENDER_STATUS[t.status],
      ...common,
      value: idr(t.hps),
      awardCriteria: criteria.code,
      awardCriteriaDetails: t.evaluationMethod === "kualitas_biaya" && t.technicalWeight ? `${criteria.details} (bobot teknis ${trimNumber(t.technicalWeight)}%)` : criteria.details,
      submissionMethod: ["electronicSubmission"],
      submissionMethodDetails: t.source === "spse" ? "Penawaran elektronik melalui SPSE (LPSE)" : "Penawaran elektronik melalui Jejak, tersegel (terenkripsi) sampai pembukaan",
      tenderPeriod: period(moment(upload?.startsAt ?? t.announcedAt), moment(t.bidDeadline ?? upload?.endsAt)),
      enquiryPeriod: enquiry ? period(moment(enquiry.startsAt), moment(enquiry.endsAt)) : null,
      hasEnquiries: enquiry || t.questions > 0 ? t.questions > 0 : null,
      eligibilityCriteria: sentences(t.requirements, common.eligibilityCriteria as string | undefined),
      awardPeriod: assessFrom || decideBy ? period(moment(assessFrom?.startsAt), moment(decideBy?.endsAt)) : null,
      numberOfTenderers: opened ? tenderers.length : null,
      tenderers: tenderers.map((v) => vendorRef(v)),
      documents: t.documents.map((d, i) =>
        compact({ id: `${t.code}-${i + 1}`, documentType: documentTypeOf(d.title), title: d.title, description: d.ref ? `Nomor ${d.ref}` : null, datePublished: moment(t.announcedAt), language: "id" }),
      ),
      milestones: t.stages.map((st) => this.milestone(t, st)),
    });
  }

  /**
   * A stage of the schedule as a milestone, with its status at the release's date: met once the selection
   * has come that far (see STAGES), or — for a period (announcement, document download, aanwijzing, bid
   * upload, sanggah) — once the period has ended while the selection was still running; not met when the
   * selection ended before it; scheduled otherwise.
   */
  milestone(t: SnapshotTender, st: { stage: string; startsAt: string; endsAt: string }): JsonObject {
    const def = STAGES[st.stage] ?? { title: st.stage, type: "engagement", level: 9, period: false };
    const closed = t.status === "failed" || t.status === "cancelled";
    const reached = progressOf(t) >= def.level;
    const elapsed = def.period && progressOf(t) >= 1 && Date.parse(st.endsAt) <= this.e.at.getTime();
    const met = reached || elapsed;
    const dateMet = !met ? null : def.level === 1 ? t.announcedAt : st.stage === "pembukaan" ? t.openedAt : elapsed ? st.endsAt : null;
    return compact({
      id: `${t.code}-${st.stage}`,
      title: def.title,
      type: def.type,
      description: `${wibTime(st.startsAt)} s.d. ${wibTime(st.endsAt)}`,
      dueDate: moment(st.endsAt),
      status: met ? "met" : closed ? "notMet" : "scheduled",
      dateMet: moment(dateMet),
    });
  }

  addendum(t: SnapshotTender): JsonObject {
    const no = Number((this.e.payload.addendum as { no?: number } | undefined)?.no ?? Math.max(0, ...t.addenda.map((a) => a.no)));
    const a = t.addenda.find((x) => x.no === no);
    if (!a) throw new OcdsMappingError(`TenderAmended: addendum ${no} of ${t.code} not found`);
    const moved = a.newDeadline && a.oldDeadline && a.newDeadline !== a.oldDeadline ? `Batas akhir penawaran diubah dari ${wibTime(a.oldDeadline)} menjadi ${wibTime(a.newDeadline)}.` : null;
    return compact({
      id: `${t.code}-${a.no}`,
      date: moment(a.createdAt),
      rationale: a.description,
      description: [`Adendum dokumen pemilihan nomor ${a.no}.`, moved].filter(Boolean).join(" "),
      amendsReleaseID: this.s.previousReleaseId,
      releaseID: this.id,
    });
  }

  bids(t: SnapshotTender): JsonObject {
    const label = `${t.method === "pengadaan_langsung" || t.method === "penunjukan_langsung" ? "penawaran" : "tender"} ${t.code}`;
    const details = t.bids.map((b) => {
      const v = this.vendor(b.vendorId);
      const corrected = b.correctedPrice && b.correctedPrice !== b.price ? `harga terkoreksi ${rupiahText(b.correctedPrice)}` : null;
      return compact({
        id: b.id,
        date: moment(b.submittedAt),
        // A bid without a result in a selection whose results are public was never evaluated here (SPSE
        // gives only the winner's): its status is unknown, not pending.
        status: b.result ? (b.result.pass ? "valid" : "disqualified") : t.resultsPublic ? null : "pending",
        tenderers: [vendorRef(v)],
        value: idr(b.price),
        description: [`Penawaran pada ${label}`, corrected, b.result && !b.result.pass ? b.result.reason : null].filter(Boolean).join("; "),
        hasRank: b.result?.rank != null ? true : null,
        rank: b.result?.rank ?? null,
      });
    });
    const evaluated = t.bids.filter((b) => b.result);
    const statistics: JsonObject[] = [{ id: `${t.code}-bids`, measure: "bids", value: t.bids.length }];
    statistics.push({ id: `${t.code}-bidders`, measure: "bidders", value: uniqueVendors(t.bids.map((b) => b.vendorId)).length });
    if (evaluated.length && evaluated.length === t.bids.length) {
      statistics.push({ id: `${t.code}-validBids`, measure: "validBids", value: evaluated.filter((b) => b.result!.pass).length });
      statistics.push({ id: `${t.code}-disqualifiedBids`, measure: "disqualifiedBids", value: evaluated.filter((b) => !b.result!.pass).length });
    }
    return { statistics, details };
  }

  // -------------------------------------------------------------------------------------------------
  // Awards and contracts

  awardOf(c: SnapshotContract): AwardInfo {
    const a = this.awards.find((x) => x.contract?.id === c.id) ?? this.awards.find((x) => x.id === c.id);
    if (!a) throw new OcdsMappingError(`no award for contract ${c.id}`);
    return a;
  }

  award(a: AwardInfo): JsonObject {
    const v = this.vendor(a.vendorId);
    const c = a.contract;
    const order = this.s.package.method === "e_purchasing";
    let description: string | null = null;
    if (c && order && (a.status === "cancelled" || a.status === "unsuccessful"))
      description = `Surat pesanan ${c.sppbjNumber} tanggal ${dayText(c.sppbjDate)} ${a.status === "unsuccessful" ? "ditolak penyedia" : "ditarik PPK"}.`;
    else if (a.status === "cancelled") description = "Penetapan pemenang dibatalkan.";
    else if (c && order) description = `Surat pesanan ${c.sppbjNumber} tanggal ${dayText(c.sppbjDate)}${c.catalogueRef ? `: ${c.catalogueRef}` : ""}.`;
    else if (c) description = `SPPBJ ${c.sppbjNumber} tanggal ${dayText(c.sppbjDate)}.`;
    else if (a.tender) description = a.status === "pending" ? `Pemenang ${a.tender.code} diumumkan; menunggu SPPBJ.` : `Pemenang ${a.tender.code}.`;
    return compact({
      id: a.id,
      status: a.status,
      date: a.date,
      description,
      value: idr(a.value),
      suppliers: [vendorRef(v)],
      relatedBids: a.bid ? [a.bid.id] : null,
    });
  }

  contract(c: SnapshotContract, a: AwardInfo): JsonObject {
    this.vendor(c.vendorId);
    const order = this.s.package.method === "e_purchasing";
    const number = c.number ?? c.sppbjNumber;
    return compact({
      id: c.id,
      awardID: a.id,
      title: `${order ? "Surat pesanan" : "Kontrak"} ${number}`,
      description: sentences(
        this.s.package.name,
        `Jenis kontrak: ${CONTRACT_TYPE[c.type] ?? c.type}`,
        order && c.catalogueRef ? `Produk katalog: ${c.catalogueRef}` : null,
        c.originalValue !== c.value ? `Nilai awal ${rupiahText(c.originalValue)}` : null,
      ),
      status: CONTRACT_STATUS[c.status],
      period: period(dayStart(c.startDate), dayEnd(c.endDate)),
      value: idr(c.value),
      dateSigned: dayStart(c.signedOn),
      relatedBids: a.bid ? [a.bid.id] : null,
      milestones: c.terms.map((m) =>
        compact({
          id: `termin-${m.no}`,
          title: m.description,
          type: "payment",
          description: `Dibayar pada prestasi pekerjaan ${trimNumber(m.progressPercent)}%: ${rupiahText(m.amount)}.`,
        }),
      ),
    });
  }

  contractAmendment(c: SnapshotContract): JsonObject {
    const no = Number(this.e.payload.no ?? Math.max(0, ...c.amendments.map((a) => a.no)));
    const a = c.amendments.find((x) => x.no === no);
    if (!a) throw new OcdsMappingError(`ContractAmended: amendment ${no} of contract ${c.id} not found`);
    const changes = [
      a.valueAfter !== a.valueBefore ? `nilai kontrak dari ${rupiahText(a.valueBefore)} menjadi ${rupiahText(a.valueAfter)}` : null,
      a.endAfter && a.endAfter !== a.endBefore ? `akhir pelaksanaan dari ${a.endBefore ? dayText(a.endBefore) : "-"} menjadi ${dayText(a.endAfter)}` : null,
      a.scope ? `lingkup: ${a.scope}` : null,
    ].filter(Boolean);
    return compact({
      id: String(a.no),
      date: dayStart(a.signedOn),
      rationale: a.reason,
      description: `Adendum kontrak nomor ${a.no}${changes.length ? `: ${changes.join("; ")}` : ""}.`,
      amendsReleaseID: this.s.previousReleaseId,
      releaseID: this.id,
    });
  }

  cancellation(id: string, title: string, reason: string): JsonObject {
    return compact({ id, documentType: "cancellationDetails", title, description: reason, datePublished: moment(this.e.at), language: "id" });
  }

  /**
   * A contract's implementation (e-Monev) from the event's payload: verified progress reports as reporting
   * milestones, payments (SP2D) as transactions from the OPD to the vendor — all of them as of the event, or
   * only the one report or payment the event is about (`only`).
   */
  implementation(c: SnapshotContract, only: { report?: string; payment?: string } | null = null): JsonObject {
    const impl = (this.e.payload.implementation ?? {}) as {
      milestones?: { report?: string; period: number; periodStart: string; periodEnd: string; physical: string; planned: string; deviation: string; verifiedAt: string; verifiedAs?: string | null }[];
      transactions?: { payment?: string; no: number; amount: string; paidOn: string }[];
    };
    const milestones = (impl.milestones ?? []).filter((m) => !only || (only.report !== undefined && m.report === only.report));
    const transactions = (impl.transactions ?? []).filter((t) => !only || (only.payment !== undefined && t.payment === only.payment));
    const v = this.vendor(c.vendorId);
    return compact({
      milestones: milestones.map((m) =>
        compact({
          id: `progres-${m.period}`,
          title: `Laporan kemajuan periode ${m.period}`,
          type: "reporting",
          description: `Realisasi fisik kumulatif ${m.physical}% terhadap rencana (kurva S) ${m.planned}%, deviasi ${m.deviation} poin; periode ${dayText(m.periodStart)} – ${dayText(m.periodEnd)}; diverifikasi ${m.verifiedAs === "supervising_consultant" ? "konsultan pengawas" : "PPK"}.`,
          dueDate: dayEnd(m.periodEnd),
          dateMet: moment(m.verifiedAt),
          dateModified: moment(m.verifiedAt),
          status: "met",
          // Jejak's extension: the figures themselves, so that kontrak kritis can be recomputed from the data.
          physicalProgress: { actual: percentNumber(m.physical), planned: percentNumber(m.planned), deviation: percentNumber(m.deviation) },
        }),
      ),
      transactions: transactions.map((t) =>
        compact({
          id: `pembayaran-${t.no}`,
          date: dayStart(t.paidOn),
          value: idr(t.amount),
          payer: opdRef(this.s),
          payee: vendorRef(v),
        }),
      ),
    });
  }

  /** A vendor, added to the release's parties with every role it holds in the process. */
  vendor(id: string): SnapshotVendor {
    const v = this.vendors.get(id);
    if (!v) throw new OcdsMappingError(`vendor ${id} is not in the snapshot of package ${this.s.package.id}`);
    if (!this.parties.has(v.id)) this.parties.set(v.id, vendorParty(v, this.roles.get(v.id) ?? []));
    return v;
  }
}

/**
 * Every award of the process: one per winner ever named in each selection (the current one pending or
 * active, the others cancelled), and one per contract that no named winner accounts for (an e-purchasing
 * order, a contract imported without the selection's results).
 */
function allAwards(s: ProcessSnapshot): AwardInfo[] {
  const out: AwardInfo[] = [];
  for (const t of s.tenders) {
    const named = s.winners.filter((w) => w.tenderId === t.id);
    const bidIds = [...new Set([...named.map((w) => w.bidId), ...(t.winnerBidId ? [t.winnerBidId] : [])])];
    for (const bidId of bidIds) {
      const bid = t.bids.find((b) => b.id === bidId);
      if (!bid) continue;
      const current = bidId === t.winnerBidId && t.status !== "failed" && t.status !== "cancelled";
      const contract = current ? (s.contracts.find((c) => c.tenderId === t.id && c.vendorId === bid.vendorId && c.status !== "cancelled") ?? null) : null;
      // Active once the SPPBJ is issued (an imported selection may be named contracted only after its contract).
      const active = current && (contract !== null || t.status === "sppbj" || t.status === "contracted");
      const announced = named.filter((w) => w.bidId === bidId).at(-1)?.at ?? null;
      out.push({
        id: bidId,
        tender: t,
        bid,
        contract,
        vendorId: bid.vendorId,
        status: !current ? "cancelled" : active ? "active" : "pending",
        date: active && contract ? dayStart(contract.sppbjDate) : moment(announced),
        value: bid.correctedPrice ?? bid.price,
      });
    }
  }
  for (const c of s.contracts) {
    if (out.some((a) => a.contract?.id === c.id)) continue;
    const tender = c.tenderId ? (s.tenders.find((t) => t.id === c.tenderId) ?? null) : null;
    out.push({
      id: c.id,
      tender,
      bid: null,
      contract: c,
      vendorId: c.vendorId,
      status: c.status === "cancelled" ? "cancelled" : c.status === "sppbj" ? "pending" : "active",
      date: dayStart(c.sppbjDate),
      value: c.originalValue,
    });
  }
  return out;
}

/** Each vendor's roles in the process: tenderer (an opened bid), supplier (an award not cancelled). */
function vendorRoles(s: ProcessSnapshot, awards: AwardInfo[]): Map<string, Set<string>> {
  const roles = new Map<string, Set<string>>();
  const add = (id: string, role: string) => {
    if (!roles.has(id)) roles.set(id, new Set());
    roles.get(id)!.add(role);
  };
  for (const t of s.tenders) for (const b of t.bids) add(b.vendorId, "tenderer");
  for (const a of awards) if (a.status !== "cancelled" && a.status !== "unsuccessful") add(a.vendorId, "supplier");
  for (const c of s.contracts) if (c.paid) add(c.vendorId, "payee");
  return roles;
}

function uniqueVendors(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** Texts as sentences, each ending with a full stop, the empty ones left out. */
function sentences(...texts: (string | null | undefined)[]): string {
  return texts
    .map((t) => (t ?? "").trim())
    .filter(Boolean)
    .map((t) => (/[.!?]$/.test(t) ? t : `${t}.`))
    .join(" ");
}

/** "900.0000" → "900", "70.50" → "70.5". */
function trimNumber(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/** A moment for people, in WIB: "23 November 2026 08.00 WIB". */
function wibTime(iso: string): string {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000).toISOString();
  return `${dayText(wibDay(iso))} ${d.slice(11, 13)}.${d.slice(14, 16)} WIB`;
}
