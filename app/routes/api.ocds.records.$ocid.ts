import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { tenantInfo } from "~/tenant.server";
import { ocdsAnswer, ocdsError, ocdsJson, ocdsPreflight, ocdsRecordReleases, recordPackageText } from "~/domain.server";

/**
 * Open contracting data: GET /api/ocds/records/<ocid> — the record of one contracting process: its releases
 * (embedded, in date order), its compiled release and its versioned release, merged by the OCDS rules of
 * the release schema with the declared extensions (exports/ocds/merge.ts). 404 JSON when unknown.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return ocdsAnswer(async () => {
    const tenant = await tenantInfo();
    const ocid = params.ocid ?? "";
    const releases = await ocdsRecordReleases(await em(), tenant.code, ocid);
    if (!releases.length) return ocdsError(404, "not_found", `No contracting process ${ocid}.`);
    const { text, lastModified } = recordPackageText(request, { tenantName: tenant.name, tenantCode: tenant.code }, [{ ocid, releases }], null, new Date(0), true);
    return ocdsJson(request, text, { lastModified, maxAge: 30 });
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return request.method === "OPTIONS" ? ocdsPreflight() : ocdsError(405, "method_not_allowed", "The OCDS API is read-only: use GET.");
}
