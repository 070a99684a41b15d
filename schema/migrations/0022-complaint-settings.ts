import { Migration } from "@mikro-orm/migrations";

/**
 * The tenant admin edits complaint categories and local holidays (/admin/pengaduan): categories can be
 * switched off and carry a version for optimistic locking, as do the tenant's holidays. A report keeps the
 * SLA (in working days) of the category it was filed under, so that a later change to the category's SLA
 * applies to new reports only — also for the second escalation level, which is counted in the report's SLA.
 * Reports filed before this migration get the SLA their category has now (the tenant's row, else the
 * national one); a null sla_days (rows written by older code) falls back to the category.
 */
export class Migration0022ComplaintSettings extends Migration {
  override up(): void {
    this.addSql(`
alter table complaint_category
  add column active boolean not null default true,
  add column version integer not null default 1;
alter table holiday add column version integer not null default 1;
alter table complaint add column sla_days smallint check (sla_days between 1 and 365);
update complaint c set sla_days = (
  select k.sla_days from complaint_category k
   where k.code = c.category and k.tenant_code in (c.tenant_code, '*')
   order by (k.tenant_code = c.tenant_code) desc limit 1);
`);
  }

  override down(): void {
    this.addSql(`
alter table complaint drop column if exists sla_days;
alter table holiday drop column if exists version;
alter table complaint_category drop column if exists active, drop column if exists version;
`);
  }
}
