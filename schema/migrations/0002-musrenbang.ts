import { Migration } from "@mikro-orm/migrations";

/**
 * Foreign keys between rows that one unit of work creates together (a proposal and its first
 * timeline step) are checked at commit (deferrable), since the ORM may insert them in either order.
 *
 * e-Musrenbang: forums per fiscal year and level, proposals (usulan) with photos, scoring criteria and
 * scores, each proposal's standing in each forum (frozen at close), its public timeline, and the
 * duplicate pairs a forum decided to keep apart.
 */
export class Migration0002Musrenbang extends Migration {
  override up(): void {
    this.addSql(`
create extension if not exists cube;
create extension if not exists earthdistance;

create table musrenbang_setting (
  tenant_code text not null references tenant(code),
  level text not null check (level in ('desa','kecamatan','kabupaten')),
  quota integer not null check (quota between 1 and 1000),
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  primary key (tenant_code, level)
);

create table scoring_criterion (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  level text not null check (level in ('desa','kecamatan','kabupaten')),
  code text not null check (code ~ '^[a-z][a-z0-9_]{1,30}$'),
  name text not null,
  description text not null default '',
  weight numeric(5,2) not null check (weight > 0 and weight <= 100),
  sort_order integer not null default 0,
  unique (tenant_code, level, code)
);

create table forum (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  fiscal_year smallint not null check (fiscal_year between 2000 and 2100),
  level text not null check (level in ('desa','kecamatan','kabupaten','perangkat_daerah')),
  region_code text not null references region(code),
  opd_id uuid references opd(id),
  name text not null,
  status text not null check (status in ('planned','open','scoring','closed')),
  opens_at timestamptz,
  closes_at timestamptz,
  venue text not null default '',
  attendees_total integer check (attendees_total >= 0),
  attendees_women integer check (attendees_women >= 0 and attendees_women <= attendees_total),
  signatories jsonb not null default '[]',
  minutes_notes text not null default '',
  signed_at timestamptz,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  check ((level = 'perangkat_daerah') = (opd_id is not null))
);
create unique index forum_unique_region on forum (tenant_code, fiscal_year, level, region_code) where level <> 'perangkat_daerah';
create unique index forum_unique_opd on forum (tenant_code, fiscal_year, opd_id) where level = 'perangkat_daerah';
create index forum_year_idx on forum (tenant_code, fiscal_year, level);

create table proposal (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  code text not null,
  fiscal_year smallint not null,
  source text not null check (source in ('musrenbang','pokir')),
  origin_forum_id uuid not null references forum(id) deferrable initially deferred,
  current_forum_id uuid not null references forum(id) deferrable initially deferred,
  title text not null,
  problem text not null,
  kind text not null check (kind in ('fisik','nonfisik')),
  thematic_group text not null check (thematic_group in ('ekonomi','sosial_budaya','prasarana_wilayah','pemerintahan')),
  bidang_urusan text not null,
  target_opd_id uuid not null references opd(id),
  original_opd_id uuid not null references opd(id),
  desa_code text not null references region(code),
  kecamatan_code text not null references region(code),
  address text not null default '',
  rt text not null default '',
  rw text not null default '',
  lat numeric(9,6) check (lat between -11.5 and 6.5),
  lng numeric(9,6) check (lng between 94.5 and 141.5),
  volume numeric(18,4) not null check (volume > 0),
  unit text not null,
  estimated_cost numeric(20,2) not null check (estimated_cost >= 0),
  beneficiaries integer not null check (beneficiaries >= 0),
  proposer text not null default '',
  status text not null,
  merged_into_id uuid references proposal(id) deferrable initially deferred,
  reason text not null default '',
  proposed_sub_kegiatan text not null default '',
  created_by text not null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_code, code),
  check ((lat is null) = (lng is null))
);
create index proposal_forum_idx on proposal (tenant_code, current_forum_id, status);
create index proposal_origin_idx on proposal (tenant_code, origin_forum_id);
create index proposal_desa_idx on proposal (tenant_code, desa_code, fiscal_year);
create index proposal_kecamatan_idx on proposal (tenant_code, kecamatan_code, status, fiscal_year);
create index proposal_opd_idx on proposal (tenant_code, target_opd_id, status);
create index proposal_list_idx on proposal (tenant_code, fiscal_year desc, code);
create index proposal_title_trgm_idx on proposal using gin (lower(title) gin_trgm_ops);

create table proposal_score (
  tenant_code text not null,
  forum_id uuid not null references forum(id),
  proposal_id uuid not null references proposal(id),
  criterion_id uuid not null references scoring_criterion(id),
  score smallint not null check (score between 1 and 5),
  scored_by text not null,
  scored_at timestamptz not null default now(),
  primary key (forum_id, proposal_id, criterion_id)
);

create table forum_entry (
  tenant_code text not null,
  forum_id uuid not null references forum(id),
  proposal_id uuid not null references proposal(id),
  total_score numeric(7,2),
  rank integer,
  outcome text not null,
  primary key (forum_id, proposal_id)
);
create index forum_entry_proposal_idx on forum_entry (proposal_id);

create table proposal_event (
  id bigint generated always as identity primary key,
  tenant_code text not null,
  proposal_id uuid not null references proposal(id) deferrable initially deferred,
  forum_id uuid references forum(id) deferrable initially deferred,
  at timestamptz not null,
  level text not null,
  action text not null,
  from_status text,
  to_status text not null,
  actor_name text not null,
  reason text not null default '',
  details jsonb not null default '{}'
);
create index proposal_event_idx on proposal_event (proposal_id, id);

create table proposal_photo (
  id uuid primary key,
  tenant_code text not null,
  proposal_id uuid not null references proposal(id) on delete cascade,
  filename text not null,
  content_type text not null check (content_type in ('image/jpeg','image/png','image/webp')),
  size integer not null check (size > 0 and size <= 5242880),
  sha256 text not null,
  width integer not null,
  height integer not null,
  data bytea not null,
  thumb bytea not null,
  created_at timestamptz not null default now(),
  unique (proposal_id, sha256)
);

create table duplicate_dismissal (
  tenant_code text not null,
  proposal_a uuid not null references proposal(id),
  proposal_b uuid not null references proposal(id),
  dismissed_by text not null,
  at timestamptz not null default now(),
  primary key (proposal_a, proposal_b),
  check (proposal_a < proposal_b)
);
`);
  }

  override down(): void {
    this.addSql(`drop table if exists duplicate_dismissal, proposal_photo, proposal_event, forum_entry, proposal_score, proposal, forum, scoring_criterion, musrenbang_setting cascade;`);
  }
}
