import type { LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { config } from "~/config.server";
import { photoBytes } from "~/domain.server";

/** A proposal photo (or its thumbnail with ?kecil=1), served by content hash so browsers keep it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const thumb = new URL(request.url).searchParams.get("kecil") === "1";
  const ph = await photoBytes(await em(), config().tenant, params.photoId ?? "", thumb);
  if (!ph) return new Response("Foto tidak ditemukan.", { status: 404 });
  return new Response(new Uint8Array(ph.data), {
    headers: {
      "Content-Type": ph.content_type,
      "Cache-Control": "public, max-age=31536000, immutable",
      ETag: `"${ph.sha256}${thumb ? "-t" : ""}"`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "default-src 'none'",
    },
  });
}
