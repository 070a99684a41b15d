import { Migration } from "@mikro-orm/migrations";

/**
 * e-Musrenbang at kabupaten scale (npm run bench, ~17,000 proposals a year):
 *
 * - the public tracker filtered by kecamatan (searchProposals) is ordered by fiscal year and code; the
 *   list index (tenant_code, fiscal_year desc, code) made it walk and discard every other kecamatan's
 *   rows first (16,720 of them for the last kecamatan: 8 ms a page). This index reads the page directly.
 * - a proposal's page (proposalDetail) looks up what was merged into it; without an index that was a
 *   sequential scan of every proposal (12 ms at 17,000, growing with each year). Few proposals are ever
 *   merged into another, so the index holds only those.
 */
export class Migration0003MusrenbangIndexes extends Migration {
  override up(): void {
    this.addSql(`
create index proposal_kecamatan_list_idx on proposal (tenant_code, kecamatan_code, fiscal_year desc, code);
create index proposal_merged_into_idx on proposal (tenant_code, merged_into_id) where merged_into_id is not null;
`);
  }

  override down(): void {
    this.addSql(`drop index if exists proposal_kecamatan_list_idx, proposal_merged_into_idx;`);
  }
}
