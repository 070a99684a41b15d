import type { LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { getViewer } from "~/session.server";
import { canSeeQueue, complaintPhoto } from "~/pengaduan.server";

/**
 * A report's photo. The public gets the small copy re-encoded at upload (no EXIF: no position, no
 * camera), and only of a visible report; officers handling reports may ask for the original with ?asli=1.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const full = new URL(request.url).searchParams.get("asli") === "1" && canSeeQueue((await getViewer(request)).actor);
  const ph = await complaintPhoto(await em(), config().tenant, params.photoId ?? "", full);
  if (!ph) return new Response("Foto tidak ditemukan.", { status: 404 });
  return new Response(new Uint8Array(ph.data), {
    headers: {
      "Content-Type": ph.content_type,
      "Cache-Control": full ? "private, no-store" : "public, max-age=300",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'",
    },
  });
}
