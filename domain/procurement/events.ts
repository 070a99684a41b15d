import type { EntityManager } from "@mikro-orm/postgresql";
import type { DomainEvent } from "../kernel/events";
import { ProposalEvent } from "../musrenbang/entities";

/**
 * The procurement events the open contracting publication is built from (OCDS: planning, planningUpdate,
 * tender, tenderAmendment, tenderCancellation, award, awardCancellation, contract, contractAmendment, …).
 * Each is written to `procurement_event` in the transaction of the change that caused it, and to the
 * audit trail.
 */
export const PROCUREMENT_EVENTS = [
  "PackagePlanned",
  /** An announced package's published fields changed (a RUP re-import): payload.changes holds each before and after. */
  "PackageAmended",
  "PackageCancelled",
  "TenderAnnounced",
  "TenderAmended",
  "TenderCancelled",
  "TenderFailed",
  "TenderOpened",
  "WinnerAnnounced",
  "Awarded",
  /** An e-purchasing order refused by its vendor, or withdrawn by the PPK before the vendor answered. */
  "OrderRefused",
  "OrderWithdrawn",
  "ContractSigned",
  "ContractAmended",
  "ContractTerminated",
  /** e-Monev (#9): a progress report verified by the PPK, a payment to the contractor (its SP2D), the final handover (FHO) that completes the contract: payload.implementation. */
  "ProgressVerified",
  "PaymentRecorded",
  "ContractCompleted",
] as const;
export type ProcurementEventType = (typeof PROCUREMENT_EVENTS)[number];

/** A procurement event as written to `procurement_event`, handed to the open contracting publisher. */
export interface PublishedProcurementEvent {
  /** `procurement_event.id` (a bigint, as text): the order events were written in. */
  id: string;
  tenant: string;
  packageId: string;
  type: ProcurementEventType;
  at: Date;
  entityType: string;
  entityId: string;
  payload: Record<string, unknown>;
}

/**
 * The port through which every procurement event becomes an OCDS release in the transaction that caused
 * it (issue #8). The domain knows only this interface: the mapping, the schema validation and the storage
 * live in exports/ocds (publish.ts registers itself when imported), and each composition root — the
 * server, the command-line tools, the test setup — imports it once. A publisher that throws (an invalid
 * release) fails the use case: nothing of it is written.
 */
export interface ProcurementPublisher {
  publish(tx: EntityManager, event: PublishedProcurementEvent): Promise<void>;
}

// On globalThis, so that a second copy of this module (a bundle beside the sources) sees the same one.
const PUBLISHER = Symbol.for("jejak.procurementPublisher");
const registry = globalThis as unknown as { [PUBLISHER]?: ProcurementPublisher | null };

/** Installs the publisher (exports/ocds/publish.ts does it on import); null uninstalls it (tests). */
export function registerProcurementPublisher(p: ProcurementPublisher | null): void {
  registry[PUBLISHER] = p;
}

/**
 * Writes a procurement event to `procurement_event` and publishes it (an OCDS release, validated and stored
 * immutably) in the caller's transaction, then records it for the audit trail.
 *
 * Without a registered publisher the use case is refused: an event written unpublished would leave a hole in
 * the open data that nothing repairs later (a release shows the process as it stood at its event). Every
 * composition root imports exports/ocds/publish: app/domain.server.ts, scripts/cli.ts, the test setup and
 * the benchmarks.
 */
export async function emitProcurement(
  tx: EntityManager,
  record: (e: DomainEvent) => void,
  e: { tenant: string; packageId: string; type: ProcurementEventType; at: Date; entityType: string; entityId: string; payload: Record<string, unknown>; before?: Record<string, unknown> },
): Promise<void> {
  const publisher = registry[PUBLISHER];
  if (!publisher)
    throw new Error("no open contracting publisher is registered: import exports/ocds/publish in this process's composition root");
  const [row] = await tx.execute<{ id: string }[]>(
    "insert into procurement_event (tenant_code, package_id, type, at, payload) values (?, ?, ?, ?, ?::jsonb) returning id::text as id",
    [e.tenant, e.packageId, e.type, e.at, JSON.stringify(e.payload)],
  );
  await publisher.publish(tx, { id: row.id, tenant: e.tenant, packageId: e.packageId, type: e.type, at: e.at, entityType: e.entityType, entityId: e.entityId, payload: e.payload });
  record({ type: e.type, entityType: e.entityType, entityId: e.entityId, before: e.before, after: { package: e.packageId, ...e.payload } });
}

export { wibDate } from "../kernel/rupiah-text";

/**
 * Adds a step to the public timeline of every Musrenbang proposal behind the package (the proposals
 * taken up by the sub-activities of its DPA lines): "tender" when its selection is announced,
 * "contract" when its contract is signed. Rendered by the proposal page, linking to /pengadaan/<package>.
 */
export async function traceToProposals(
  tx: EntityManager,
  record: (e: DomainEvent) => void,
  e: { tenant: string; packageId: string; action: "tender" | "contract"; at: Date; actorName: string; details: Record<string, unknown> },
): Promise<number> {
  const linked = await tx.execute<{ proposal_id: string; status: string }[]>(
    `select distinct x.proposal_id, p.status from proc_package_budget pb
       join budget_line b on b.line_key = pb.line_key
       join sub_activity_proposal x on x.sub_activity_id = b.sub_activity_id
       join proposal p on p.id = x.proposal_id
      where pb.package_id = ?`,
    [e.packageId],
  );
  for (const l of linked) {
    tx.create(ProposalEvent, {
      tenantCode: e.tenant,
      proposalId: l.proposal_id,
      forumId: null,
      at: e.at,
      level: "kabupaten",
      action: e.action,
      fromStatus: l.status,
      toStatus: l.status,
      actorName: e.actorName,
      reason: "",
      details: { packageId: e.packageId, ...e.details },
    });
    record({ type: e.action === "tender" ? "ProposalTendered" : "ProposalContracted", entityType: "Proposal", entityId: l.proposal_id, after: { package: e.packageId } });
  }
  return linked.length;
}
