/**
 * The domain as routes see it. Routes import the domain through this server-only module (and types
 * with `import type`), so that nothing of the server side — the ORM, argon2 — reaches the browser bundle.
 */
export { tenantOverview } from "../domain/overview";
export { authenticate, loadActor, recordLogout } from "../domain/identity/authenticate";
export { createUser, updateUser, resetPassword } from "../domain/identity/users";
export { listUsers, getUser, usersInScope } from "../domain/identity/queries";
export { can, visibleScopes } from "../domain/identity/policy";
export { getRegion, regionPath, childRegions, countRegionsWithin, searchRegions } from "../domain/regions/queries";
export { listOpds, findOpdByCode } from "../domain/tenancy/queries";
export { browseAudit, auditFacets } from "../domain/audit/queries";
export { verifyAuditChain } from "../domain/audit/verify";
// Routes act on the server clock (app/clock.server.ts: the system clock, shifted only in browser tests).
export { serverClock as systemClock } from "./clock.server";
export { Money } from "../domain/kernel/money";
export {
  scheduleForum,
  scheduleYear,
  rescheduleForum,
  moveForum,
  closeForum,
  raiseProposal,
  raisePokir,
  editProposal,
  withdrawProposal,
  verifyProposal,
  rejectProposal,
  mergeProposal,
  keepBothProposals,
  acceptProposal,
  transferProposal,
  notAdoptProposal,
  scoreProposal,
  configureScoring,
  addPhotos,
  removePhoto,
  listForums,
  forumWorkspace,
  rankedList,
  likelyDuplicates,
  similarProposals,
  opdQueue,
  searchProposals,
  cleanPublicFilter,
  proposalDetail,
  photoBytes,
  forumHeader,
  criteriaOf,
} from "../domain/musrenbang";
export { processPhotos } from "../imports/media/photos";
export { importForumSheet } from "../imports/musrenbang/forum-sheet";
export { writeRankedList, writeForumTemplate } from "../exports/xlsx/musrenbang";
export { forumTemplateData } from "../exports/xlsx/musrenbang-data";
export { listSets, setChildren, opdBidang } from "../domain/nomenclature";
export { importNomenclatureFile } from "../imports/nomenclature/list";
export {
  rkpd,
  renjaOptions,
  renjaDetail,
  renjaVersions,
  diffVersions,
  setPlanCeiling,
  openRenja,
  addSubActivity,
  updateSubActivity,
  removeSubActivity,
  linkProposal,
  unlinkProposal,
  moveRenja,
  renjaMachine,
  FUNDING_SOURCES,
  draftRpjmd,
  addRpjmdGoal,
  addRpjmdIndicator,
  linkRpjmdProgram,
  adoptRpjmd,
  rpjmdView,
  listRpjmd,
  rpjmdForYear,
  reconciliation,
} from "../domain/planning";
export type { RpjmdView } from "../domain/planning";
export { streamRkpdXlsx } from "../exports/xlsx/rkpd";
export { rkpdSheetPages } from "../domain/planning";
export { importRenjaSheet } from "../imports/planning/renja-sheet";
export { importPriceListFile } from "../imports/budgeting/price-list";
export { listPriceLists, searchPrices, priceItem, priceListsInForce, PRICE_KINDS, MAX_PRICE_RESULTS } from "../domain/budgeting/prices";
export type { PriceHit, PriceKind } from "../domain/budgeting/prices";
export { canSomewhere } from "../domain/identity/policy";
export { isDomainError } from "../domain/kernel/domain-error";
export {
  TAX_RATES,
  draftKuaPpas,
  refreshKuaPpas,
  setPpasCeiling,
  moveKuaPpas,
  kuaPpasView,
  openRka,
  openOpdRka,
  addLine,
  updateLine,
  removeLine,
  moveRka,
  noteRka,
  rkaView,
  opdBudget,
  reviewQueue,
  rkaMachine,
} from "../domain/budgeting";
export type { LineInput } from "../domain/budgeting";
export { streamRkaXlsx, rkaSheetData } from "../exports/xlsx/rka";
export { importRkaSheet } from "../imports/budgeting/rka-sheet";
export {
  assembleApbd,
  moveApbd,
  reviseApbd,
  changeBudgetLine,
  diffApbd,
  apbdVersions,
  apbdSummary,
  apbdInForce,
  issueDpa,
  setCashPlan,
  recordSp2d,
  absorption,
  dpaView,
  dpasOf,
  setAboveStandardRule,
  aboveStandardRule,
  addBudgetLine,
  revisionLines,
} from "../domain/budgeting";
export { terbilang } from "../domain/kernel/terbilang";
export { publicApbd, apbdSheetPages, dpaDocument } from "../domain/budgeting/public";
export type { PublicApbd, AmountRow, KecamatanRow, ApbdVersionInfo } from "../domain/budgeting/public";
export { streamApbdXlsx } from "../exports/xlsx/apbd";
export { streamDpaXlsx } from "../exports/xlsx/dpa";
export { listSp2d } from "../domain/budgeting/realisation";
export { importSp2dSheet } from "../imports/budgeting/sp2d-sheet";
// e-Procurement: the PPK's and the Pokja's workspaces (app/routes/procure.*).
export {
  planPackage,
  announcePackage,
  cancelPackage,
  procurableLines,
  rupCoverage,
  createTender,
  assignPokja,
  announceTender,
  addAddendum,
  answerQuestion,
  signPakta,
  openTender,
  evaluateBid,
  concludeEvaluation,
  announceWinner,
  answerSanggah,
  reevaluate,
  closeTender,
  issueSppbj,
  tenderActions,
  signContract,
  amendContract,
  terminateContract,
  registerVendor,
  updateVendor,
  blacklistVendor,
  vendorList,
  dpaYears,
  defaultYear,
  opdPackages,
  packageView,
  pokjaTenders,
  pokjaCandidates,
  tenderView,
  contractView,
  vendorDetail,
  formatNpwp,
} from "../domain/procurement";
export type { PackageView, TenderView, ContractView } from "../domain/procurement";
export { writeTenderResults } from "../exports/xlsx/tender-results";
// e-Procurement: the public pages (app/routes/pengadaan.*, api.pengadaan*) and the contractor's (app/routes/vendor.*).
export {
  cleanProcurementFilter,
  searchPackages,
  publicPackage,
  PUBLIC_STAGES,
  vendorHome,
  vendorTenderView,
  vendorContract,
  askQuestion,
  submitBid,
  withdrawBid,
  fileSanggah,
  BID_MAX_FILES,
  BID_MAX_BYTES,
} from "../domain/procurement";
export type { PackageListItem, PublicPackage, PublicTender, PublicContract, VendorHome, VendorTenderView } from "../domain/procurement";
export { parseRupiah as parseRupiahInput } from "../domain/budgeting/prices";
// e-Procurement: the RUP in SiRUP's layout, and imports from SiRUP and SPSE (app/routes/unduh.rup.$year.ts, procure.impor.tsx).
export { streamRup } from "../exports/xlsx/rup";
export { importRupSheet } from "../imports/procurement/rup-sheet";
export { importSpseSheet } from "../imports/procurement/spse-sheet";
export type { ProcSheetError } from "../imports/procurement/sheet-tables";
// Open contracting data (issue #8): the OCDS API (app/routes/api.ocds.*). Importing exports/ocds/publish
// registers the OCDS publisher with the domain, so that every procurement event the server (and its boot's
// demo seed) records is published as a validated release in the same transaction.
import "../exports/ocds/publish";
export {
  answer as ocdsAnswer,
  errorResponse as ocdsError,
  findRelease as findOcdsRelease,
  jsonResponse as ocdsJson,
  lastPublication as lastOcdsPublication,
  originOf as ocdsOrigin,
  OcdsApiError,
  parsePageQuery as parseOcdsPageQuery,
  preflight as ocdsPreflight,
  projectExtensionMetadata,
  projectExtensionSchema,
  recordPackageText,
  recordReleases as ocdsRecordReleases,
  recordsPage as ocdsRecordsPage,
  releasePackageText,
  releasesPage as ocdsReleasesPage,
  runOf as ocdsRunOf,
} from "../exports/ocds/api";
// OCDS bulk files (app/routes/ocds.bulk.$file.ts): JSON Lines, release packages, flattened CSV and Excel.
export { bulkFileNames as ocdsBulkFileNames, bulkResponse as ocdsBulkResponse, bulkYears as ocdsBulkYears } from "../exports/ocds/bulk";
export { FLAT_TABLE_NAMES as OCDS_FLAT_TABLES } from "../exports/ocds/flatten";
// e-Monev: the quarterly RKPD evaluation (app/routes/monev.evaluasi.$year.tsx, unduh.evaluasi.$year.ts).
export { quarterlyEvaluation, enterEvaluation, evaluationYears } from "../domain/monev/evaluation";
export { streamEvaluationXlsx } from "../exports/xlsx/evaluation";
// e-Monev: a contract's whole public chain (app/routes/kontrak.$id.tsx, api.kontrak.$id.ts).
export { publicContract, maskNpwp } from "../domain/monev/contract-page";
export type { PublicContractPage } from "../domain/monev/contract-page";
// e-Monev for the public: the map (app/routes/peta._index.tsx, api.peta.ts) and the dashboards (dasbor.tsx).
export { mapItems, mapList, mapFeatures, toFeatureCollection, cleanMapFilter } from "../domain/monev/map";
export type { MapItem, MapKind, MapFilter, MapCollection } from "../domain/monev/map";
export { mapPoints, parseMapRequest, mapRequestKey, isSmallYear, yearText, viewText, pageText } from "../domain/monev/map-view";
export type { MapPoints, MapRequest, BBox } from "../domain/monev/map-view";
export { dashboard, publicYears } from "../domain/monev/dashboard";
export type { Dashboard } from "../domain/monev/dashboard";
export { redFlagCountsByYear, RED_FLAG_TITLES } from "../exports/ocds/red-flags";
export type { RedFlagCode } from "../exports/ocds/red-flags";
