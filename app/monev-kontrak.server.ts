/**
 * Contract monitoring (e-Monev, issue #9) as the routes see it (app/routes/vendor.kontrak.$id,
 * procure.kontrak.$id, monev.foto.$photoId): the domain's use cases and queries, the photo processing at
 * the edge, and who may see a progress photo.
 */
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../domain/identity/actor";
import { can } from "../domain/identity/policy";
import { vendorOfActor } from "../domain/procurement";
import { progressPhotoBytes } from "../domain/monev";

export {
  setSchedule,
  submitReport,
  verifyReport,
  returnReport,
  recordCriticalStep,
  recordPayment,
  recordHandover,
  contractMonitoring,
  contractPhotos,
  latestItemProgress,
  reportDetail,
  criticalContracts,
  criticalStatus,
  reportQueue,
  paymentLines,
  criticalMachine,
  reportMachine,
  REPORT_PHOTO_MAX,
  assignSupervisor,
  unassignSupervisor,
  contractSupervisors,
  supervisionWorklist,
} from "../domain/monev";
export type { ContractMonitoring, CriticalAction, CriticalCaseView, PhotoMilestone, ReportPhoto, SeriesPoint } from "../domain/monev";
export { processPhotos } from "../imports/media/photos";
export { wibDate } from "../domain/kernel/rupiah-text";

/**
 * A progress photo's bytes for this viewer: anyone once its report is verified (it is then public);
 * before that, only the contractor of the contract, its supervising consultants and those who see
 * procurement in its OPD.
 */
export async function progressPhotoFor(em: EntityManager, actor: Actor, photoId: string, thumb: boolean) {
  const p = await progressPhotoBytes(em, actor.tenant, photoId, thumb);
  if (!p) return null;
  if (p.status === "verified") return p;
  if (can(actor, "procure.view", { tenant: actor.tenant, opd: p.opd_code })) return p;
  if (can(actor, "monev.report.verify", { tenant: actor.tenant, contract: p.contract_id })) return p;
  if (actor.hasRole("contractor")) {
    const v = await vendorOfActor(em, actor).catch(() => null);
    if (v?.id === p.vendor_id) return p;
  }
  return null;
}
