import { Migration } from "@mikro-orm/migrations";

/**
 * e-Planning core: each OPD's indicative ceiling per year (set by Bappeda), its Renja (the OPD's part of
 * the RKPD) with a lifecycle, the sub-activities in it, and the Musrenbang proposals each sub-activity
 * takes up (a proposal is taken up by at most one).
 */
export class Migration0005Planning extends Migration {
  override up(): void {
    this.addSql(`
create table plan_ceiling (
  tenant_code text not null references tenant(code),
  fiscal_year smallint not null,
  opd_id uuid not null references opd(id),
  amount numeric(20,2) not null check (amount >= 0),
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  primary key (tenant_code, fiscal_year, opd_id)
);

create table renja (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  fiscal_year smallint not null,
  opd_id uuid not null references opd(id),
  status text not null check (status in ('rancangan_awal','rancangan','final')),
  revision integer not null default 0,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_code, fiscal_year, opd_id)
);

create table sub_activity (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  renja_id uuid not null references renja(id) deferrable initially deferred,
  opd_id uuid not null references opd(id),
  fiscal_year smallint not null,
  nomenclature_set_id uuid not null references nomenclature_set(id),
  program_code text not null,
  kegiatan_code text not null,
  sub_kegiatan_code text not null,
  name text not null,
  indicator text not null,
  target numeric(18,4) not null check (target > 0),
  unit text not null,
  locations text[] not null default '{}',
  ceiling numeric(20,2) not null check (ceiling >= 0),
  funding_source text not null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (renja_id, sub_kegiatan_code)
);
create index sub_activity_opd_idx on sub_activity (tenant_code, fiscal_year, opd_id);

create table sub_activity_proposal (
  tenant_code text not null,
  sub_activity_id uuid not null references sub_activity(id) on delete cascade deferrable initially deferred,
  proposal_id uuid not null unique references proposal(id),
  linked_at timestamptz not null,
  primary key (sub_activity_id, proposal_id)
);
`);
  }

  override down(): void {
    this.addSql("drop table if exists sub_activity_proposal, sub_activity, renja, plan_ceiling cascade;");
  }
}
