import { Migration } from "@mikro-orm/migrations";

/**
 * e-Budgeting: standard price lists (SSH, HSPK, ASB, SBU), KUA-PPAS with its provisional ceilings per
 * sub-activity (so OPD and programme ceilings are their sums), the RKA of each sub-activity (and the
 * OPD-level RKA for revenue and financing) with its line items, TAPD's notes per line, the APBD in
 * versions (murni, pergeseran, perubahan) whose lines are snapshots of approved RKA lines, the DPA of
 * each OPD with its cash plan, and the payments (SP2D) recorded against DPA lines.
 *
 * Every amount is numeric; every aggregate officers edit together carries a version.
 */
export class Migration0008Budgeting extends Migration {
  override up(): void {
    this.addSql(`
create table budget_policy (
  tenant_code text primary key references tenant(code),
  -- above the standard price: 'refuse', or 'justify' (allowed with a written justification)
  above_standard text not null default 'refuse' check (above_standard in ('refuse','justify')),
  version integer not null default 1
);

create table price_list (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  kind text not null check (kind in ('SSH','HSPK','ASB','SBU')),
  fiscal_year smallint not null,
  decree text not null,
  source text not null default '',
  item_count integer not null,
  imported_at timestamptz not null,
  imported_by text not null,
  unique (tenant_code, kind, fiscal_year, decree)
);

create table price_item (
  id uuid primary key,
  tenant_code text not null,
  list_id uuid not null references price_list(id) on delete cascade,
  code text not null,
  name text not null,
  spec text not null default '',
  unit text not null,
  price numeric(20,2) not null check (price >= 0),
  accounts text[] not null default '{}',
  unique (list_id, code)
);
create index price_item_name_trgm on price_item using gin ((name || ' ' || spec) gin_trgm_ops);
create index price_item_accounts on price_item using gin (accounts);

create table kua_ppas (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  fiscal_year smallint not null,
  status text not null check (status in ('draft','submitted','agreed')),
  priorities jsonb not null default '[]',
  agreement text not null default '',
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (tenant_code, fiscal_year)
);

create table ppas_ceiling (
  tenant_code text not null,
  kua_ppas_id uuid not null references kua_ppas(id) on delete cascade,
  sub_activity_id uuid not null references sub_activity(id),
  opd_id uuid not null references opd(id),
  program_code text not null,
  amount numeric(20,2) not null check (amount >= 0),
  primary key (kua_ppas_id, sub_activity_id)
);
create index ppas_ceiling_opd_idx on ppas_ceiling (kua_ppas_id, opd_id, program_code);

create table rka (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  fiscal_year smallint not null,
  opd_id uuid not null references opd(id),
  sub_activity_id uuid references sub_activity(id),
  kind text not null check (kind in ('belanja','pendapatan','pembiayaan')),
  status text not null check (status in ('draft','submitted','verified','approved','returned')),
  return_note text not null default '',
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((kind = 'belanja') = (sub_activity_id is not null))
);
create unique index rka_sub_unique on rka (tenant_code, fiscal_year, sub_activity_id) where sub_activity_id is not null;
create unique index rka_opd_kind_unique on rka (tenant_code, fiscal_year, opd_id, kind) where sub_activity_id is null;
create index rka_opd_idx on rka (tenant_code, fiscal_year, opd_id);

create table rka_line (
  id uuid primary key,
  tenant_code text not null,
  rka_id uuid not null references rka(id) on delete cascade,
  position integer not null,
  heading text not null default '',
  account_code text not null,
  description text not null,
  spec text not null default '',
  factors jsonb not null,
  volume numeric not null check (volume > 0),
  unit text not null,
  price_item_id uuid references price_item(id),
  unit_price numeric(20,2) not null check (unit_price >= 0),
  justification text not null default '',
  tax_percent numeric(5,2) not null default 0 check (tax_percent >= 0 and tax_percent <= 100),
  amount numeric(20,2) not null check (amount >= 0),
  funding_source text not null,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index rka_line_rka_idx on rka_line (rka_id, position);

create table rka_line_note (
  id bigint generated always as identity primary key,
  tenant_code text not null,
  rka_id uuid not null references rka(id) on delete cascade,
  line_id uuid references rka_line(id) on delete set null,
  author text not null,
  at timestamptz not null,
  text text not null
);
create index rka_line_note_idx on rka_line_note (rka_id, id);

create table apbd (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  fiscal_year smallint not null,
  version_no integer not null,
  kind text not null check (kind in ('murni','pergeseran','perubahan')),
  status text not null check (status in ('rancangan','agreed','evaluated','adopted')),
  parent_id uuid references apbd(id),
  legal_basis text not null default '',
  reason text not null default '',
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (tenant_code, fiscal_year, version_no)
);

create table budget_line (
  id uuid primary key,
  tenant_code text not null,
  apbd_id uuid not null references apbd(id),
  line_key uuid not null,
  opd_id uuid not null references opd(id),
  sub_activity_id uuid references sub_activity(id),
  kind text not null check (kind in ('belanja','pendapatan','pembiayaan')),
  position integer not null,
  heading text not null default '',
  account_code text not null,
  description text not null,
  spec text not null default '',
  volume numeric not null,
  unit text not null,
  unit_price numeric(20,2) not null,
  tax_percent numeric(5,2) not null default 0,
  amount numeric(20,2) not null check (amount >= 0),
  funding_source text not null,
  unique (apbd_id, line_key)
);
create index budget_line_apbd_idx on budget_line (apbd_id, opd_id, sub_activity_id, position);

create table dpa (
  id uuid primary key,
  tenant_code text not null,
  apbd_id uuid not null references apbd(id),
  opd_id uuid not null references opd(id),
  number text not null,
  total numeric(20,2) not null,
  issued_at timestamptz not null,
  issued_by text not null,
  unique (apbd_id, opd_id),
  unique (tenant_code, number)
);

create table dpa_cash_plan (
  dpa_id uuid not null references dpa(id),
  sub_activity_id uuid references sub_activity(id),
  kind text not null,
  month smallint not null check (month between 1 and 12),
  amount numeric(20,2) not null check (amount >= 0)
);
create unique index dpa_cash_plan_unique on dpa_cash_plan (dpa_id, coalesce(sub_activity_id, '00000000-0000-0000-0000-000000000000'::uuid), kind, month);

create table sp2d (
  id uuid primary key,
  tenant_code text not null,
  number text not null,
  paid_on date not null,
  budget_line_id uuid not null references budget_line(id),
  amount numeric(20,2) not null check (amount > 0),
  description text not null default '',
  recorded_at timestamptz not null,
  recorded_by text not null,
  unique (tenant_code, number, budget_line_id)
);
create index sp2d_line_idx on sp2d (budget_line_id);
`);
  }

  override down(): void {
    this.addSql("drop table if exists budget_policy, sp2d, dpa_cash_plan, dpa, budget_line, apbd, rka_line_note, rka_line, rka, ppas_ceiling, kua_ppas, price_item, price_list cascade;");
  }
}
