import type { EntityManager } from "@mikro-orm/postgresql";
import type { DomainEvent } from "../kernel/events";
import { emitProcurement } from "../procurement";

/**
 * A contract's implementation as published in open contracting data (OCDS `contracts.implementation`),
 * complete as of the event: every verified progress report (a reporting milestone) and every payment (a
 * transaction from the OPD to the supplier, realised by its SP2D).
 */
export interface ImplementationPayload {
  milestones: { report: string; period: number; periodStart: string; periodEnd: string; physical: string; planned: string; deviation: string; verifiedAt: string; verifiedAs: string | null }[];
  transactions: { payment: string; no: number; kind: string; termNo: number | null; amount: string; paidOn: string; sp2dNumber: string }[];
}

export async function implementationOf(tx: EntityManager, contractId: string): Promise<ImplementationPayload> {
  const milestones = await tx.execute<ImplementationPayload["milestones"]>(
    `select id as report, period_no::int as period, to_char(period_start, 'YYYY-MM-DD') as "periodStart", to_char(period_end, 'YYYY-MM-DD') as "periodEnd",
            physical::text as physical, planned::text as planned, deviation::text as deviation, to_char(verified_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') as "verifiedAt", verified_as as "verifiedAs"
       from progress_report where contract_id = ? and status = 'verified' order by period_no`,
    [contractId],
  );
  const transactions = await tx.execute<ImplementationPayload["transactions"]>(
    `select id as payment, no::int as no, kind, term_no::int as "termNo", amount::text as amount, to_char(paid_on, 'YYYY-MM-DD') as "paidOn", sp2d_number as "sp2dNumber"
       from contract_payment where contract_id = ? order by no`,
    [contractId],
  );
  return { milestones, transactions };
}

/**
 * Emits an implementation event of a contract (ProgressVerified, PaymentRecorded) through the procurement
 * events, so that it is published as an OCDS release in this transaction and recorded for the audit trail.
 */
export async function emitImplementation(
  tx: EntityManager,
  record: (e: DomainEvent) => void,
  e: { tenant: string; packageId: string; contractId: string; type: "ProgressVerified" | "PaymentRecorded" | "ContractCompleted"; at: Date; entityType: string; entityId: string; details: Record<string, unknown> },
): Promise<void> {
  await emitProcurement(tx, record, {
    tenant: e.tenant,
    packageId: e.packageId,
    type: e.type,
    at: e.at,
    entityType: e.entityType,
    entityId: e.entityId,
    payload: { contract: e.contractId, ...e.details, implementation: await implementationOf(tx, e.contractId) },
  });
}
