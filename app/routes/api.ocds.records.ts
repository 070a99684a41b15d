import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { tenantInfo } from "~/tenant.server";
import { lastOcdsPublication, ocdsAnswer, ocdsError, ocdsJson, ocdsPreflight, ocdsRecordsPage, parseOcdsPageQuery, recordPackageText } from "~/domain.server";

/**
 * Open contracting data: GET /api/ocds/records?since=&until=&limit=&cursor= — a record package, one record
 * per contracting process (newest process first), paged by a keyset cursor in `links.next` like the
 * releases. Each record links its releases and carries its compiled release (the OCDS merge of its
 * releases); /api/ocds/records/<ocid> has the versioned release too. See exports/ocds/api.ts.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  return ocdsAnswer(async () => {
    const q = parseOcdsPageQuery(new URL(request.url).searchParams, false);
    const tenant = await tenantInfo();
    const db = await em();
    const page = await ocdsRecordsPage(db, tenant.code, q);
    const empty = page.records.length ? new Date(0) : ((await lastOcdsPublication(db, tenant.code)) ?? new Date());
    const { text, lastModified } = recordPackageText(request, { tenantName: tenant.name, tenantCode: tenant.code }, page.records, page.next, empty, false);
    return ocdsJson(request, text, { lastModified, maxAge: 30 });
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return request.method === "OPTIONS" ? ocdsPreflight() : ocdsError(405, "method_not_allowed", "The OCDS API is read-only: use GET.");
}
