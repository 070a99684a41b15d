import { Migration } from "@mikro-orm/migrations";

/**
 * RPJMD (the five-year plan: vision, missions, goals with indicators and yearly targets, and the
 * programmes that serve each goal), the goal a sub-activity serves, and the adopted versions of every
 * Renja (a snapshot per adoption, so that a revision after final never loses what was adopted before).
 */
export class Migration0006RpjmdRevisions extends Migration {
  override up(): void {
    this.addSql(`
create table rpjmd (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  start_year smallint not null,
  end_year smallint not null,
  vision text not null,
  legal_basis text not null default '',
  status text not null check (status in ('draft','adopted')),
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check (end_year = start_year + 4),
  unique (tenant_code, start_year)
);

create table rpjmd_mission (
  id uuid primary key,
  tenant_code text not null,
  rpjmd_id uuid not null references rpjmd(id) on delete cascade,
  number smallint not null check (number > 0),
  text text not null,
  unique (rpjmd_id, number)
);

create table rpjmd_goal (
  id uuid primary key,
  tenant_code text not null,
  rpjmd_id uuid not null references rpjmd(id) on delete cascade,
  mission_id uuid not null references rpjmd_mission(id) on delete cascade,
  code text not null,
  text text not null,
  unique (rpjmd_id, code)
);

create table rpjmd_indicator (
  id uuid primary key,
  tenant_code text not null,
  goal_id uuid not null references rpjmd_goal(id) on delete cascade,
  name text not null,
  unit text not null,
  baseline numeric(18,4),
  unique (goal_id, name)
);

create table rpjmd_target (
  indicator_id uuid not null references rpjmd_indicator(id) on delete cascade,
  year smallint not null,
  target numeric(18,4) not null,
  primary key (indicator_id, year)
);

create table rpjmd_program (
  tenant_code text not null,
  goal_id uuid not null references rpjmd_goal(id) on delete cascade,
  program_code text not null,
  primary key (goal_id, program_code)
);
create index rpjmd_program_code_idx on rpjmd_program (tenant_code, program_code);

alter table sub_activity add column rpjmd_goal_id uuid references rpjmd_goal(id);

alter table renja add column revision_reason text not null default '';

create table renja_version (
  tenant_code text not null,
  renja_id uuid not null references renja(id),
  revision integer not null,
  adopted_at timestamptz not null,
  adopted_by text not null,
  reason text not null default '',
  ceiling numeric(20,2),
  total numeric(20,2) not null,
  snapshot jsonb not null,
  primary key (renja_id, revision)
);
create function renja_version_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'renja_version is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger renja_version_no_update before update or delete on renja_version
  for each row execute function renja_version_refuse_change();
`);
  }

  override down(): void {
    this.addSql(`drop table if exists renja_version cascade; drop function if exists renja_version_refuse_change();\ndrop table if exists rpjmd_program, rpjmd_target, rpjmd_indicator, rpjmd_goal, rpjmd_mission, rpjmd cascade;
alter table sub_activity drop column if exists rpjmd_goal_id; alter table renja drop column if exists revision_reason;`);
  }
}
