import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { tenantInfo } from "~/tenant.server";
import { ocdsBulkResponse, ocdsError, ocdsPreflight } from "~/domain.server";

/**
 * Open contracting data in bulk, as the OCP Data Registry serves it (exports/ocds/bulk.ts):
 *   GET /ocds/bulk/full.jsonl.gz, /ocds/bulk/<year>.jsonl.gz    one compiled release per line, gzipped
 *   GET /ocds/bulk/<year>-releases.json.gz                      a release package of the year's releases
 *   GET /ocds/bulk/<year>-<table>.csv                           one flattened table (main, parties, budget,
 *       items, tenderers, bids, awards, contracts, amendments, transactions)
 *   GET /ocds/bulk/<year>.xlsx                                  every flattened table, one sheet each
 * No login, CORS open, streamed in flat memory, Last-Modified and ETag (304 when current). One dynamic
 * segment takes the whole file name: a Remix segment cannot be a parameter followed by an extension.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const tenant = await tenantInfo();
  return ocdsBulkResponse(request, await em(), { tenantName: tenant.name, tenantCode: tenant.code }, params.file ?? "");
}

export async function action({ request }: ActionFunctionArgs) {
  return request.method === "OPTIONS" ? ocdsPreflight() : ocdsError(405, "method_not_allowed", "The bulk files are read-only: use GET.");
}
