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
export { COMPLAINT_ACTIONS, COMPLAINT_STATUSES, OPEN_STATUSES } from "../domain/oversight/complaint-machine";
export { PHOTO_MAX as COMPLAINT_PHOTO_MAX, TEXT_MAX as COMPLAINT_TEXT_MAX, TEXT_MIN as COMPLAINT_TEXT_MIN } from "../domain/oversight/rules";

/**
 * Where a report comes from, for the daily limit: the browser (its CSRF cookie, which every form post
 * carries), the session and account when signed in, and the client address when a trusted proxy names it.
 * Hashed by the domain before storing.
 */
export function requestSources(request: Request, actor: Actor): string[] {
  const out: string[] = [];
  const browser = readCookie(request, CSRF_COOKIE);
  if (browser) out.push(sourceKey("session", browser));
  const session = readCookie(request, SESSION_COOKIE);
  if (session) out.push(sourceKey("session", session));
  if (actor.userId) out.push(sourceKey("user", actor.userId));
  if (process.env.TRUST_PROXY === "1") {
    const ip = (request.headers.get("x-forwarded-for") ?? "").split(",")[0].trim() || request.headers.get("x-real-ip") || "";
    if (ip) out.push(sourceKey("ip", ip));
  }
  if (out.length === 0) out.push(sourceKey("ip", "unknown"));
  return out;
}
