import { Migration } from "@mikro-orm/migrations";

/**
 * e-Monev's quarterly evaluation of the RKPD (Permendagri 86/2017): what the OPD enters by hand for a
 * sub-activity and a triwulan. Financial realisation comes from the SP2D and physical progress from the
 * verified progress reports of the sub-activity's contracts (domain/monev/evaluation.ts); these rows hold
 * the output realised (K, in the indicator's unit), the physical progress of sub-activities without
 * contracts, and the factors behind the figures (pendorong, penghambat) with the follow-up (tindak lanjut).
 */
export class Migration0018Evaluation extends Migration {
  override up(): void {
    this.addSql(`
create table evaluation_entry (
  tenant_code text not null,
  sub_activity_id uuid not null references sub_activity(id),
  quarter smallint not null check (quarter between 1 and 4),
  output numeric(18,4) check (output >= 0),
  physical numeric(5,2) check (physical between 0 and 100),
  drivers text not null default '',
  obstacles text not null default '',
  follow_up text not null default '',
  version integer not null default 1,
  updated_at timestamptz not null,
  updated_by text not null,
  primary key (sub_activity_id, quarter)
);
create index sp2d_paid_on_idx on sp2d (tenant_code, paid_on);
create index budget_line_sub_idx on budget_line (sub_activity_id);
create index dpa_cash_plan_sub_idx on dpa_cash_plan (sub_activity_id);
`);
  }

  override down(): void {
    this.addSql("drop table if exists evaluation_entry; drop index if exists sp2d_paid_on_idx, budget_line_sub_idx, dpa_cash_plan_sub_idx;");
  }
}
