import type { LoaderFunctionArgs } from "@remix-run/node";
import { ocdsError, ocdsJson, ocdsOrigin, projectExtensionMetadata, projectExtensionSchema } from "~/domain.server";

/** The extension's files change only with a new version of the app: dated by this process's start. */
const STARTED = new Date();

/**
 * Jejak's own OCDS extension, as every package declares it (exports/ocds/extension/):
 * GET /api/ocds/extension/extension.json (its metadata, documented on this app's /ocds page) and
 * GET /api/ocds/extension/release-schema.json (the JSON Merge Patch to the release schema).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const file = params.file ?? "";
  const body = file === "extension.json" ? projectExtensionMetadata(ocdsOrigin(request)) : file === "release-schema.json" ? projectExtensionSchema() : null;
  if (!body) return ocdsError(404, "not_found", "The extension has extension.json and release-schema.json.");
  return ocdsJson(request, JSON.stringify(body, null, 2), { lastModified: STARTED, maxAge: 3600 });
}
