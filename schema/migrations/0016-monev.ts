import { Migration } from "@mikro-orm/migrations";

/**
 * e-Monev of contracts (issue #9): the contract schedule (work items with their value weight and planned
 * periods — the kurva S is computed from it), progress reports per period with the cumulative physical
 * progress per item, their photos (bytes, thumbnail, EXIF position and capture time, flags), the kontrak
 * kritis cases with their handling steps (SCM I–III, warning letters, termination), the payments (uang
 * muka, termin, retensi; each also an SP2D in the budget) and the handovers (BAST PHO, FHO).
 *
 * Sized for 10,000 contracts × 20 reports: every per-contract read goes through an index that starts with
 * contract_id; the PPK's queue and the dashboard's count use partial indexes on the few open rows.
 */
export class Migration0016Monev extends Migration {
  override up(): void {
    this.addSql(`
-- One row per contract once the PPK has set its schedule: the reporting period, the site and the
-- distance beyond which a photo is flagged, the maintenance period before the FHO.
create table monev_plan (
  contract_id uuid primary key references contract(id),
  tenant_code text not null,
  period_kind text not null check (period_kind in ('weekly','monthly')),
  site_lat numeric(9,6) check (site_lat between -11.5 and 6.5),
  site_lng numeric(9,6) check (site_lng between 94.5 and 141.5),
  far_threshold_m integer not null default 500 check (far_threshold_m between 10 and 100000),
  maintenance_days integer not null default 180 check (maintenance_days between 0 and 1825),
  version integer not null default 1,
  updated_at timestamptz not null,
  updated_by text not null,
  check ((site_lat is null) = (site_lng is null))
);

-- The contract schedule: work items (per division), their value and its weight (summing to exactly 100
-- per contract), and the periods (1-based) in which each is planned.
create table monev_work_item (
  id uuid primary key,
  contract_id uuid not null references contract(id),
  no smallint not null check (no >= 1),
  division text not null default '',
  name text not null,
  value numeric(20,2) not null check (value > 0),
  weight numeric(5,2) not null check (weight >= 0 and weight <= 100),
  planned_start smallint not null check (planned_start >= 1),
  planned_end smallint not null,
  check (planned_end >= planned_start),
  unique (contract_id, no)
);

create table progress_report (
  id uuid primary key,
  tenant_code text not null,
  contract_id uuid not null references contract(id),
  period_no smallint not null check (period_no >= 1),
  period_start date not null,
  period_end date not null,
  -- cumulative physical progress (weighted by value), the plan (kurva S) at this period, actual − planned
  physical numeric(5,2) not null check (physical between 0 and 100),
  planned numeric(5,2) not null check (planned between 0 and 100),
  deviation numeric(6,2) not null,
  problems text not null default '',
  actions text not null default '',
  status text not null check (status in ('draft','submitted','verified','returned')),
  note text not null default '',
  -- a cumulative lower than an earlier report's is a correction of that report, with its reason
  corrects_id uuid references progress_report(id),
  correction_reason text not null default '',
  submitted_at timestamptz,
  submitted_by text,
  verified_at timestamptz,
  verified_by text,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((corrects_id is null) = (correction_reason = ''))
);
create unique index progress_report_period_idx on progress_report (contract_id, period_no);
create index progress_report_queue_idx on progress_report (tenant_code, submitted_at) where status = 'submitted';

create table progress_report_item (
  report_id uuid not null references progress_report(id) on delete cascade,
  item_id uuid not null references monev_work_item(id),
  physical numeric(5,2) not null check (physical between 0 and 100),
  primary key (report_id, item_id)
);

create table progress_photo (
  id uuid primary key,
  tenant_code text not null,
  report_id uuid not null references progress_report(id) on delete cascade,
  milestone text not null check (milestone in ('0','50','100','periodic')),
  filename text not null,
  content_type text not null check (content_type in ('image/jpeg','image/png','image/webp')),
  size integer not null check (size > 0 and size <= 5242880),
  sha256 text not null,
  width integer not null,
  height integer not null,
  data bytea not null,
  thumb bytea not null,
  lat numeric(9,6),
  lng numeric(9,6),
  taken_at timestamptz,
  distance_m integer,
  far_from_site boolean not null default false,
  before_start boolean not null default false,
  created_at timestamptz not null,
  unique (report_id, sha256),
  check ((lat is null) = (lng is null))
);

-- Kontrak kritis (Peraturan LKPP 12/2021): opened when a verified report shows the contract critical;
-- at most one open case per contract.
create table critical_case (
  id uuid primary key,
  tenant_code text not null,
  contract_id uuid not null references contract(id),
  report_id uuid not null references progress_report(id),
  opened_at timestamptz not null,
  reason text not null check (reason in ('behind_period1','behind_period2','past_fiscal_year')),
  planned numeric(5,2) not null,
  physical numeric(5,2) not null,
  status text not null check (status in ('critical','scm1','scm2','scm3','warning1','warning2','warning3','terminated','resolved')),
  closed_at timestamptz,
  version integer not null default 1
);
create index critical_case_contract_idx on critical_case (contract_id, opened_at);
create unique index critical_case_open_idx on critical_case (contract_id) where status not in ('terminated','resolved');
create index critical_case_tenant_open_idx on critical_case (tenant_code) where status not in ('terminated','resolved');

create table critical_step (
  case_id uuid not null references critical_case(id),
  no smallint not null,
  action text not null,
  from_status text not null,
  to_status text not null,
  on_date date not null,
  minutes text not null default '',
  deadline date,
  letter_number text not null default '',
  recorded_at timestamptz not null,
  recorded_by text not null,
  primary key (case_id, no)
);

-- Payments to the contractor, each also an SP2D against the DPA lines of the package.
create table contract_payment (
  id uuid primary key,
  tenant_code text not null,
  contract_id uuid not null references contract(id),
  no smallint not null,
  kind text not null check (kind in ('uang_muka','termin','retensi')),
  term_no smallint,
  report_id uuid references progress_report(id),
  amount numeric(20,2) not null check (amount > 0),
  sp2d_number text not null,
  paid_on date not null,
  recorded_at timestamptz not null,
  recorded_by text not null,
  unique (contract_id, no),
  check ((kind = 'termin') = (term_no is not null))
);
create unique index contract_payment_term_idx on contract_payment (contract_id, term_no) where term_no is not null;

-- The SP2D rows (one per DPA line charged, under one SP2D number) that realise a payment.
create table contract_payment_charge (
  payment_id uuid not null references contract_payment(id),
  sp2d_id uuid not null references sp2d(id),
  primary key (payment_id, sp2d_id)
);

-- Berita acara serah terima: PHO (provisional) then FHO (final, after the maintenance period).
create table contract_handover (
  contract_id uuid not null references contract(id),
  kind text not null check (kind in ('pho','fho')),
  number text not null,
  signed_on date not null,
  note text not null default '',
  recorded_at timestamptz not null,
  recorded_by text not null,
  primary key (contract_id, kind)
);
`);
  }

  override down(): void {
    this.addSql(
      "drop table if exists contract_handover, contract_payment_charge, contract_payment, critical_step, critical_case, progress_photo, progress_report_item, progress_report, monev_work_item, monev_plan cascade;",
    );
  }
}
