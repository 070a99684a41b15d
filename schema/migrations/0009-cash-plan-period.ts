import { Migration } from "@mikro-orm/migrations";

/**
 * A DPA's cash plan (anggaran kas) per month or per quarter: the DPA chooses its period
 * (`dpa.cash_plan_period`: 'bulan' — twelve amounts — or 'triwulan' — four).
 *
 * The rows of dpa_cash_plan keep their `month` column, so every reader that adds up "what is planned by
 * month m" stays right whatever the period. A quarter's amount is stored on the LAST month of its quarter
 * (triwulan I → month 3, II → 6, III → 9, IV → 12): the money planned for the quarter is to be spent by
 * the quarter's end, a quarter's sum over months (m-2 … m) is the quarter's amount, and a cumulative plan
 * by month is never ahead of the quarter. Each row also carries the period it was written for, tied to
 * its DPA's period by a foreign key (on update cascade), and a quarterly row may only sit on months 3, 6,
 * 9 or 12 — so the database itself refuses a row that disagrees with its DPA's period, and a DPA cannot
 * switch to quarters while monthly rows (on months other than 3, 6, 9, 12) are still there.
 */
export class Migration0009CashPlanPeriod extends Migration {
  override up(): void {
    this.addSql(`
alter table dpa add column cash_plan_period text not null default 'bulan' check (cash_plan_period in ('bulan','triwulan'));
alter table dpa add constraint dpa_cash_plan_period_key unique (id, cash_plan_period);

alter table dpa_cash_plan add column period text not null default 'bulan';
alter table dpa_cash_plan add constraint dpa_cash_plan_period_month check (period = 'bulan' or month in (3, 6, 9, 12));
alter table dpa_cash_plan add constraint dpa_cash_plan_period_fk foreign key (dpa_id, period) references dpa (id, cash_plan_period) on update cascade;
`);
  }

  override down(): void {
    this.addSql(`
alter table dpa_cash_plan drop constraint if exists dpa_cash_plan_period_fk;
alter table dpa_cash_plan drop constraint if exists dpa_cash_plan_period_month;
alter table dpa_cash_plan drop column if exists period;
alter table dpa drop constraint if exists dpa_cash_plan_period_key;
alter table dpa drop column if exists cash_plan_period;
`);
  }
}
