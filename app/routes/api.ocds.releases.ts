import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { tenantInfo } from "~/tenant.server";
import { lastOcdsPublication, ocdsAnswer, ocdsError, ocdsJson, ocdsPreflight, ocdsReleasesPage, parseOcdsPageQuery, releasePackageText } from "~/domain.server";

/**
 * Open contracting data: GET /api/ocds/releases?since=&until=&ocid=&limit=&cursor= — a release package of
 * the pemda's OCDS releases, newest first, up to `limit` (1,000) per page, the next page in `links.next`
 * (a keyset cursor: nothing is skipped or repeated while releases arrive). No login, CORS open, ETag and
 * Last-Modified; a malformed parameter is a 400 in JSON, an empty page a 200. See exports/ocds/api.ts.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return ocdsAnswer(async () => {
    const q = parseOcdsPageQuery(new URL(request.url).searchParams);
    const tenant = await tenantInfo();
    const db = await em();
    const page = await ocdsReleasesPage(db, tenant.code, q);
    const empty = page.releases.seqs.length ? new Date(0) : ((await lastOcdsPublication(db, tenant.code)) ?? new Date());
    const { text, lastModified, version } = releasePackageText(request, { tenantName: tenant.name, tenantCode: tenant.code }, page.releases, page.next, empty);
    return ocdsJson(request, text, { lastModified, maxAge: 30, version });
  });
}

/** CORS preflight; nothing is ever written through the API. */
export async function action({ request }: ActionFunctionArgs) {
  return request.method === "OPTIONS" ? ocdsPreflight() : ocdsError(405, "method_not_allowed", "The OCDS API is read-only: use GET.");
}
