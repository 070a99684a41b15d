/**
 * Citizen reports (pengaduan) as the routes see them (app/routes/lapor*, monev.pengaduan*, api.pengaduan):
 * the domain's use cases and queries, and the request's sources for the rate limit.
 */
import { readCookie } from "./cookies.server";
import { CSRF_COOKIE } from "./csrf.server";
import { SESSION_COOKIE } from "./session.server";
import type { Actor } from "../domain/identity/actor";
import { sourceKey } from "../domain/oversight/rules";

export { submitComplaint, assertPhotoCount, actOnComplaint, rateComplaint, reopenComplaint, escalateOverdue } from "../domain/oversight/complaints";
export {
  publicComplaints,
  publicComplaint,
  publicComplaintsFor,
  publicComplaintsOnContractsOf,
  complaintByTicket,
  complaintPhoto,
  complaintQueue,
  canSeeQueue,
  cleanComplaintFilter,
  categories as complaintCategories,
  targetSummary as complaintTarget,
} from "../domain/oversight/queries";
export type { PublicComplaint, PublicStep, QueueItem } from "../domain/oversight/queries";
export { wibDay } from "../domain/oversight/working-days";
export {
  complaintSettings,
  holidayYears,
  saveComplaintCategory,
  resetComplaintCategory,
  addHoliday,
  changeHoliday,
  removeHoliday,
  TENANT_HOLIDAY_KINDS,
} from "../domain/oversight/settings";
export { COMPLAINT_ACTIONS, COMPLAINT_STATUSES, OPEN_STATUSES } from "../domain/oversight/complaint-machine";
export { PHOTO_MAX as COMPLAINT_PHOTO_MAX, TEXT_MAX as COMPLAINT_TEXT_MAX, TEXT_MIN as COMPLAINT_TEXT_MIN } from "../domain/oversight/rules";

/**
 * Where a report comes from, for the daily limits: the browser (its CSRF cookie, which every form post
 * carries), the session and account when signed in, and the client's address (server.ts passes it in the
 * load context, resolved under TRUST_PROXY). Hashed by the domain before storing.
 */
export function requestSources(request: Request, actor: Actor, clientIp: string | null): string[] {
  const out: string[] = [];
  const browser = readCookie(request, CSRF_COOKIE);
  if (browser) out.push(sourceKey("session", browser));
  const session = readCookie(request, SESSION_COOKIE);
  if (session) out.push(sourceKey("session", session));
  if (actor.userId) out.push(sourceKey("user", actor.userId));
  if (clientIp) out.push(sourceKey("ip", clientIp));
  if (out.length === 0) out.push(sourceKey("ip", "unknown"));
  return out;
}
