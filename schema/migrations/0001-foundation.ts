import { Migration } from "@mikro-orm/migrations";

/**
 * Foundation: regions of Indonesia, tenants and OPDs, users with scoped roles, lucia sessions,
 * login throttling, and the append-only, hash-chained audit trail.
 *
 * Every tenant-owned table carries tenant_code (first in its indexes) so that the tables can later be
 * distributed by tenant.
 */
export class Migration0001Foundation extends Migration {
  override up(): void {
    this.addSql(`
create extension if not exists pg_trgm;

create table region (
  code text primary key check (code ~ '^\\d{2}(\\.\\d{2}(\\.\\d{2}(\\.\\d{4})?)?)?$'),
  level smallint not null check (level between 1 and 4),
  kind text not null check (kind in ('provinsi','kabupaten','kota','kecamatan','desa','kelurahan')),
  parent_code text references region(code),
  name text not null
);
create index region_parent_idx on region (parent_code);
create index region_code_prefix_idx on region (code text_pattern_ops);
create index region_name_trgm_idx on region using gin (lower(name) gin_trgm_ops);

create table tenant (
  code text primary key references region(code),
  name text not null,
  time_zone text not null default 'Asia/Jakarta',
  created_at timestamptz not null default now()
);

create table opd (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  code text not null,
  name text not null,
  short_name text not null,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_code, code)
);

create table app_user (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  username text not null check (username ~ '^[a-z0-9._-]{3,40}$'),
  display_name text not null,
  email text,
  password_hash text not null,
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (tenant_code, username)
);

create table role_assignment (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  user_id uuid not null references app_user(id) on delete cascade,
  role text not null check (role in ('admin','bappeda_planner','opd_officer','tapd_member','desa_facilitator',
    'kecamatan_facilitator','procurement_officer','contractor','monev_officer','auditor','citizen')),
  scope_kind text not null check (scope_kind in ('tenant','opd','kecamatan','desa','vendor')),
  scope_code text not null,
  created_at timestamptz not null default now(),
  unique (user_id, role, scope_kind, scope_code)
);
create index role_assignment_user_idx on role_assignment (tenant_code, user_id);

create table user_session (
  id text primary key,
  tenant_code text not null references tenant(code),
  user_id uuid not null references app_user(id) on delete cascade,
  expires_at timestamptz not null,
  created_at timestamptz not null default now()
);
create index user_session_user_idx on user_session (user_id);

create table login_throttle (
  tenant_code text not null,
  key text not null,
  failures integer not null default 0,
  window_started_at timestamptz not null,
  locked_until timestamptz,
  primary key (tenant_code, key)
);

create table audit_event (
  id bigint generated always as identity primary key,
  tenant_code text not null,
  at timestamptz not null,
  actor_id uuid,
  actor_name text not null,
  action text not null,
  entity_type text not null,
  entity_id text not null,
  before jsonb,
  after jsonb,
  prev_hash text not null,
  hash text not null unique
);
create index audit_event_tenant_idx on audit_event (tenant_code, id);
create index audit_event_entity_idx on audit_event (tenant_code, entity_type, entity_id);
create index audit_event_actor_idx on audit_event (tenant_code, actor_name);

-- The audit trail is append-only: the database itself refuses to change or remove a row.
create function audit_event_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_event is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger audit_event_no_update before update or delete on audit_event
  for each row execute function audit_event_refuse_change();
create trigger audit_event_no_truncate before truncate on audit_event
  for each statement execute function audit_event_refuse_change();
`);
  }

  override down(): void {
    this.addSql(`drop table if exists audit_event, login_throttle, user_session, role_assignment, app_user, opd, tenant, region cascade;
drop function if exists audit_event_refuse_change();`);
  }
}
