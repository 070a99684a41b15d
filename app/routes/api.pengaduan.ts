import type { LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { listPage } from "~/list-api.server";
import { config } from "~/config.server";
import { systemClock } from "~/domain.server";
import { cleanComplaintFilter, publicComplaints, wibDay } from "~/pengaduan.server";

/**
 * Open data: GET /api/pengaduan?status=&opd=&kategori=&page=&per_page= (per_page up to 100). Public
 * fields only — never the reporter's name, contact or account, nor reports held for moderation. CORS open.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const filter = cleanComplaintFilter(url.searchParams);
  const r = await publicComplaints(await em(), config().tenant, filter, wibDay(systemClock.now()));
  return listPage(
    url,
    r,
    r.items.map((c) => ({
      id: c.id,
      number: c.number,
      status: c.status,
      category: c.category,
      target: { kind: c.targetKind, id: c.targetId },
      text: c.text,
      location: c.lat && c.lng ? { lat: c.lat, lng: c.lng } : null,
      regionCode: c.regionCode,
      opd: c.opd,
      submittedAt: c.submittedAt,
      slaDueOn: c.slaDueOn,
      overdue: c.overdue,
      escalationLevel: c.escalationLevel,
      answer: c.answer || null,
      answeredAt: c.answeredAt,
      rating: c.rating,
      rejectionReason: c.reason || null,
      photos: c.photos.map((id) => `/lapor/foto/${id}`),
    }))
  );
}
