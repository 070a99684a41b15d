import { Migration0001Foundation } from "./0001-foundation";
import { Migration0002Musrenbang } from "./0002-musrenbang";
import { Migration0003MusrenbangIndexes } from "./0003-musrenbang-indexes";
import { Migration0004Nomenclature } from "./0004-nomenclature";
import { Migration0005Planning } from "./0005-planning";
import { Migration0006RpjmdRevisions } from "./0006-rpjmd-revisions";
import { Migration0008Budgeting } from "./0008-budgeting";
import { Migration0009CashPlanPeriod } from "./0009-cash-plan-period";
import { Migration0010Procurement } from "./0010-procurement";
import { Migration0011ProcurementImports } from "./0011-procurement-imports";
import { Migration0012PublicPackageFunction } from "./0012-public-package-function";
import { Migration0013Ocds } from "./0013-ocds";
import { Migration0014BidVendorIndex } from "./0014-bid-vendor-index";
import { Migration0015OcdsImport } from "./0015-ocds-import";
import { Migration0016Monev } from "./0016-monev";
import { Migration0017Pengaduan } from "./0017-pengaduan";
import { Migration0018Evaluation } from "./0018-evaluation";
import { Migration0019OcdsRecord } from "./0019-ocds-record";
import { Migration0020PublicContractFunction } from "./0020-public-contract-function";
import { Migration0021ContractSupervision } from "./0021-contract-supervision";
import { Migration0022ComplaintSettings } from "./0022-complaint-settings";

/**
 * Every migration, in order. Listed statically so that the server build, the CLI and the tests all
 * run the same set without scanning folders.
 */
export const migrationsList = [
  { name: "0001-foundation", class: Migration0001Foundation },
  { name: "0002-musrenbang", class: Migration0002Musrenbang },
  { name: "0003-musrenbang-indexes", class: Migration0003MusrenbangIndexes },
  { name: "0004-nomenclature", class: Migration0004Nomenclature },
  { name: "0005-planning", class: Migration0005Planning },
  { name: "0006-rpjmd-revisions", class: Migration0006RpjmdRevisions },
  // 0007 is reserved for planning indexes (scale work).
  { name: "0008-budgeting", class: Migration0008Budgeting },
  { name: "0009-cash-plan-period", class: Migration0009CashPlanPeriod },
  { name: "0010-procurement", class: Migration0010Procurement },
  { name: "0011-procurement-imports", class: Migration0011ProcurementImports },
  { name: "0012-public-package-function", class: Migration0012PublicPackageFunction },
  { name: "0013-ocds", class: Migration0013Ocds },
  { name: "0014-bid-vendor-index", class: Migration0014BidVendorIndex },
  { name: "0015-ocds-import", class: Migration0015OcdsImport },
  { name: "0016-monev", class: Migration0016Monev },
  { name: "0017-pengaduan", class: Migration0017Pengaduan },
  { name: "0018-evaluation", class: Migration0018Evaluation },
  { name: "0019-ocds-record", class: Migration0019OcdsRecord },
  { name: "0020-public-contract-function", class: Migration0020PublicContractFunction },
  { name: "0021-contract-supervision", class: Migration0021ContractSupervision },
  { name: "0022-complaint-settings", class: Migration0022ComplaintSettings },
];
