import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { tenantInfo } from "~/tenant.server";
import { findOcdsRelease, ocdsAnswer, ocdsRunOf, ocdsError, ocdsJson, ocdsPreflight, releasePackageText } from "~/domain.server";

/**
 * Open contracting data: GET /api/ocds/releases/<ocid>/<release id> — a release package holding that one
 * release. Releases never change, so the answer may be cached for a long time. 404 JSON when unknown.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  return ocdsAnswer(async () => {
    const tenant = await tenantInfo();
    const release = await findOcdsRelease(await em(), tenant.code, params.ocid ?? "", params.id ?? "");
    if (!release) return ocdsError(404, "not_found", `No release ${params.id ?? ""} in ${params.ocid ?? ""}.`);
    const { text, lastModified, version } = releasePackageText(request, { tenantName: tenant.name, tenantCode: tenant.code }, ocdsRunOf([release]), null, release.createdAt);
    return ocdsJson(request, text, { lastModified, maxAge: 86_400, immutable: true, version });
  });
}

export async function action({ request }: ActionFunctionArgs) {
  return request.method === "OPTIONS" ? ocdsPreflight() : ocdsError(405, "method_not_allowed", "The OCDS API is read-only: use GET.");
}
