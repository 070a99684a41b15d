/**
 * Open contracting data for the /ocds publication page and the /admin/ocds quality report (issue #8,
 * capabilities 3 and 7): server-only, so that nothing of exports/ocds is bundled for the browser.
 */
export { storedQualityReport } from "../exports/ocds/coherence";
export { DEFAULT_OCDS_LICENSE, DEFAULT_OCDS_PREFIX, ocdsConfig, ocidOfPackage } from "../exports/ocds/publish";
export { DECLARED_EXTENSIONS, extensionUrl, loadOcdsSchemas, OCDS_VERSION } from "../exports/ocds/schema";
export { MAX_LIMIT as OCDS_MAX_LIMIT, DEFAULT_LIMIT as OCDS_DEFAULT_LIMIT, PROJECT_EXTENSION_PATH } from "../exports/ocds/api";
export type { Finding as OcdsFinding, QualityReport as OcdsQualityReport } from "../exports/ocds/quality";
export { FLAT_TABLE_NAMES } from "../exports/ocds/flatten";
export { processRedFlags } from "../exports/ocds/red-flags";
