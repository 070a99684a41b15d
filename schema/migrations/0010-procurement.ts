import { Migration } from "@mikro-orm/migrations";

/**
 * e-Procurement and contracts: the vendor registry (penyedia) with its sanctions (daftar hitam), the
 * method rules as dated data with their legal source, RUP packages drawn from DPA lines (by the line's
 * stable key, so a package survives a budget revision), tenders with their stage schedule, Pokja,
 * questions (aanwijzing), addenda, sealed bids, objections (sanggah), and contracts with their
 * amendments and payment terms. Every procurement event also lands in `procurement_event`, in the same
 * transaction, for the open contracting publication.
 *
 * Bid contents are stored only as ciphertext (`bid.sealed`); the clear price columns stay null until
 * the opening, which is what the confidentiality test reads.
 */
export class Migration0010Procurement extends Migration {
  override up(): void {
    this.addSql(`
-- The Pokja of the procurement unit (UKPBJ) is a role of its own, apart from the PPK.
alter table role_assignment drop constraint role_assignment_role_check;
alter table role_assignment add constraint role_assignment_role_check check (role in ('admin','bappeda_planner','opd_officer','tapd_member','desa_facilitator',
  'kecamatan_facilitator','procurement_officer','pokja_member','contractor','monev_officer','auditor','citizen'));

create table vendor (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  npwp text not null check (npwp ~ '^[0-9]{15,16}$'),
  nib text not null default '',
  name text not null,
  address text not null default '',
  bank_name text not null default '',
  bank_account text not null default '',
  bank_holder text not null default '',
  qualification text not null check (qualification in ('kecil','non_kecil')),
  kbli text[] not null default '{}',
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (tenant_code, npwp)
);

create table vendor_sanction (
  id uuid primary key,
  tenant_code text not null,
  vendor_id uuid not null references vendor(id),
  starts_on date not null,
  ends_on date not null,
  reason text not null,
  legal_basis text not null,
  contract_id uuid,
  recorded_at timestamptz not null,
  recorded_by text not null,
  check (ends_on >= starts_on)
);
create index vendor_sanction_vendor_idx on vendor_sanction (vendor_id, starts_on, ends_on);

-- The methods' value limits, dated, with the article they come from. Global: regulations are national.
create table method_rule (
  id text primary key,
  regulation text not null,
  article text not null,
  effective_from date not null,
  effective_to date,
  method text not null,
  kind text not null,
  min_value numeric(20,2),
  max_value numeric(20,2),
  note text not null default ''
);

create table proc_package (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  fiscal_year smallint not null,
  opd_id uuid not null references opd(id),
  sub_activity_id uuid references sub_activity(id),
  kode_rup bigint,
  name text not null,
  description text not null default '',
  volume text not null default '',
  type text not null check (type in ('penyedia','swakelola')),
  kind text not null check (kind in ('barang','konstruksi','konsultansi','jasa_lainnya')),
  method text not null,
  swakelola_type smallint check (swakelola_type between 1 and 4),
  pagu numeric(20,2) not null check (pagu > 0),
  pdn boolean not null default true,
  umk boolean not null default false,
  planned_on date not null,
  selection_start date,
  selection_end date,
  execution_start date,
  execution_end date,
  ppk_name text not null default '',
  status text not null check (status in ('draft','announced','executing','completed','cancelled')),
  -- swakelola: the decree forming the team, and when the work started and ended
  swakelola_decree text not null default '',
  announced_at timestamptz,
  cancel_reason text not null default '',
  source text not null default 'jejak',
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create unique index proc_package_rup_idx on proc_package (tenant_code, kode_rup) where kode_rup is not null;
create index proc_package_list_idx on proc_package (tenant_code, fiscal_year, opd_id, status);
create index proc_package_sub_idx on proc_package (sub_activity_id);
create index proc_package_text_idx on proc_package using gin (to_tsvector('simple', name));

create table proc_package_budget (
  package_id uuid not null references proc_package(id) on delete cascade,
  line_key uuid not null,
  amount numeric(20,2) not null check (amount > 0),
  primary key (package_id, line_key)
);
create index proc_package_budget_line_idx on proc_package_budget (line_key);

create table proc_package_location (
  package_id uuid not null references proc_package(id) on delete cascade,
  region_code text not null,
  detail text not null default '',
  primary key (package_id, region_code)
);

create sequence proc_package_kode_rup_seq start 60000001;
create sequence tender_code_seq start 10000001;

create table tender (
  id uuid primary key,
  tenant_code text not null,
  package_id uuid not null references proc_package(id),
  attempt smallint not null default 1,
  method text not null,
  status text not null,
  code text not null,
  hps numeric(20,2) not null check (hps > 0),
  evaluation_method text not null check (evaluation_method in ('harga_terendah','kualitas_biaya','kualitas','pagu_anggaran','biaya_terendah')),
  technical_weight numeric(5,2),
  qualification text not null default 'pasca' check (qualification in ('pasca','pra')),
  requirements text not null default '',
  documents jsonb not null default '[]',
  bid_deadline timestamptz,
  opening_at timestamptz,
  sanggah_until timestamptz,
  banding_until timestamptz,
  winner_bid_id uuid,
  -- pengadaan langsung / penunjukan langsung: the one vendor invited
  invited_vendor_id uuid references vendor(id),
  failure_reason text not null default '',
  opened_at timestamptz,
  announced_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (tenant_code, code)
);
create index tender_package_idx on tender (package_id, attempt);

create table tender_stage (
  tender_id uuid not null references tender(id) on delete cascade,
  stage text not null,
  position smallint not null,
  starts_at timestamptz not null,
  ends_at timestamptz not null,
  primary key (tender_id, stage),
  check (ends_at >= starts_at)
);

create table tender_pokja (
  tender_id uuid not null references tender(id) on delete cascade,
  user_id uuid not null references app_user(id),
  name text not null,
  pakta_signed_at timestamptz,
  primary key (tender_id, user_id)
);

create table tender_question (
  id uuid primary key,
  tender_id uuid not null references tender(id),
  vendor_id uuid references vendor(id),
  question text not null,
  asked_at timestamptz not null,
  answer text,
  answered_at timestamptz,
  answered_by text
);
create index tender_question_idx on tender_question (tender_id, asked_at);

create table tender_addendum (
  tender_id uuid not null references tender(id),
  no smallint not null,
  description text not null,
  old_deadline timestamptz,
  new_deadline timestamptz,
  created_at timestamptz not null,
  created_by text not null,
  primary key (tender_id, no)
);

create table bid (
  id uuid primary key,
  tender_id uuid not null references tender(id),
  vendor_id uuid not null references vendor(id),
  status text not null check (status in ('sealed','withdrawn','replaced','opened')),
  sealed bytea not null,
  sealed_sha256 text not null,
  submitted_at timestamptz not null,
  price numeric(20,2),
  corrected_price numeric(20,2),
  admin_pass boolean,
  tech_pass boolean,
  tech_score numeric(6,2),
  price_pass boolean,
  qual_pass boolean,
  reason text not null default '',
  total_score numeric(8,4),
  rank smallint,
  evaluated_at timestamptz,
  version integer not null default 1
);
create unique index bid_live_idx on bid (tender_id, vendor_id) where status in ('sealed','opened');
create index bid_tender_idx on bid (tender_id, status);

create table sanggah (
  id uuid primary key,
  tender_id uuid not null references tender(id),
  vendor_id uuid not null references vendor(id),
  kind text not null check (kind in ('sanggah','banding')),
  text text not null,
  submitted_at timestamptz not null,
  answer text,
  upheld boolean,
  answered_at timestamptz,
  answered_by text
);
create index sanggah_tender_idx on sanggah (tender_id, submitted_at);

create table contract (
  id uuid primary key,
  tenant_code text not null,
  package_id uuid not null references proc_package(id),
  tender_id uuid references tender(id),
  vendor_id uuid not null references vendor(id),
  sppbj_number text not null,
  sppbj_date date not null,
  number text,
  signed_on date,
  type text not null check (type in ('lump_sum','harga_satuan','gabungan')),
  original_value numeric(20,2) not null check (original_value > 0),
  value numeric(20,2) not null check (value > 0),
  start_date date,
  end_date date,
  performance_bond numeric(20,2),
  spmk_number text,
  spmk_date date,
  -- sppbj: awarded (or, for e-purchasing, ordered) and awaiting signature/acceptance; cancelled: an order refused
  status text not null check (status in ('sppbj','signed','terminated','completed','cancelled')),
  -- e-purchasing: the catalogue product ordered
  catalogue_ref text not null default '',
  termination_reason text not null default '',
  source text not null default 'jejak',
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (tenant_code, sppbj_number)
);
create unique index contract_number_idx on contract (tenant_code, number) where number is not null;
create index contract_package_idx on contract (package_id);
create index contract_vendor_idx on contract (vendor_id);

create table contract_amendment (
  contract_id uuid not null references contract(id),
  no smallint not null,
  reason text not null,
  value_before numeric(20,2) not null,
  value_after numeric(20,2) not null,
  end_before date,
  end_after date,
  scope text not null default '',
  signed_on date not null,
  created_at timestamptz not null,
  created_by text not null,
  primary key (contract_id, no)
);

create table contract_term (
  contract_id uuid not null references contract(id),
  no smallint not null,
  description text not null,
  progress_percent numeric(5,2) not null check (progress_percent between 0 and 100),
  amount numeric(20,2) not null check (amount >= 0),
  primary key (contract_id, no)
);

-- Every procurement and contract event, written in the transaction that caused it: the open
-- contracting publication reads from here.
create table procurement_event (
  id bigserial primary key,
  tenant_code text not null,
  package_id uuid not null references proc_package(id),
  type text not null,
  at timestamptz not null,
  payload jsonb not null
);
create index procurement_event_package_idx on procurement_event (package_id, id);
`);
  }

  override down(): void {
    this.addSql(
      "drop table if exists procurement_event, contract_term, contract_amendment, contract, sanggah, bid, tender_addendum, tender_question, tender_pokja, tender_stage, tender, proc_package_location, proc_package_budget, proc_package, method_rule, vendor_sanction, vendor cascade; drop sequence if exists proc_package_kode_rup_seq, tender_code_seq;",
    );
  }
}
