import type { LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { getViewer } from "~/session.server";
import { progressPhotoFor } from "~/monev-kontrak.server";

/**
 * A contract progress photo (or its thumbnail with ?kecil=1). Public once its report is verified; before
 * that only for the contract's contractor and those who see procurement in its OPD (404 for others).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const thumb = new URL(request.url).searchParams.get("kecil") === "1";
  const viewer = await getViewer(request);
  const ph = await progressPhotoFor(await em(), viewer.actor, params.photoId ?? "", thumb);
  if (!ph) return new Response("Foto tidak ditemukan.", { status: 404 });
  return new Response(new Uint8Array(ph.data), {
    headers: {
      "Content-Type": ph.content_type,
      "Cache-Control": ph.status === "verified" ? "public, max-age=86400" : "private, no-store",
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'",
    },
  });
}
