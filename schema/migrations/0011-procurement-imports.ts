import { Migration } from "@mikro-orm/migrations";

/**
 * Imports from the national systems (issue #7): a tender may come from SPSE rather than be run in Jejak.
 * `tender.source` says which ('jejak' or 'spse'), as `proc_package.source` and `contract.source` already do,
 * so that a re-import finds and updates its own tenders and never touches one the Pokja runs here.
 *
 * Packages hold DPA lines by their stable key across APBD versions, and the trace from a package to its
 * lines and proposals (packageLines, traceToProposals) looks lines up by that key alone: an import touches
 * thousands of packages, so that lookup gets an index.
 */
export class Migration0011ProcurementImports extends Migration {
  override up(): void {
    this.addSql(`
alter table tender add column source text not null default 'jejak' check (source in ('jejak','spse'));
create index if not exists budget_line_key_idx on budget_line (line_key);
`);
  }

  override down(): void {
    this.addSql("drop index if exists budget_line_key_idx; alter table tender drop column if exists source;");
  }
}
