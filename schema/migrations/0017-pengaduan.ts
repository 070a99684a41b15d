import { Migration } from "@mikro-orm/migrations";

/**
 * Citizen reports (pengaduan, SP4N-LAPOR style): the complaint and its public history, photos, the
 * reporter's personal data in a table of its own (never joined by a public query), categories with their
 * SLA in working days, the holiday calendar the SLA is counted over, and the submission rate counters.
 *
 * The national holiday calendar and the default categories live under tenant_code '*' and apply to every
 * tenant; a tenant adds its own rows (local holidays, its own categories) under its code.
 */
export class Migration0017Pengaduan extends Migration {
  override up(): void {
    this.addSql(`
create table complaint_category (
  tenant_code text not null,
  code text not null check (code ~ '^[a-z_]{2,40}$'),
  name text not null,
  sla_days smallint not null check (sla_days between 1 and 365),
  position smallint not null default 0,
  primary key (tenant_code, code)
);
insert into complaint_category (tenant_code, code, name, sla_days, position) values
  ('*', 'ringan', 'Ringan', 2, 1),
  ('*', 'normatif', 'Normatif', 5, 2),
  ('*', 'non_pengawasan', 'Non-pengawasan', 14, 3),
  ('*', 'investigasi', 'Memerlukan investigasi', 60, 4);

create table holiday (
  tenant_code text not null,
  day date not null,
  name text not null,
  kind text not null default 'libur_nasional' check (kind in ('libur_nasional','cuti_bersama','libur_daerah')),
  primary key (tenant_code, day)
);

create sequence complaint_number_seq;

create table complaint (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  -- public reference (ADU-2026-000042); the ticket itself is a secret, kept only as its sha256
  number text not null,
  ticket_hash text not null,
  target_kind text not null check (target_kind in ('contract','proposal','sub_activity','point')),
  target_id uuid,
  category text not null,
  text text not null check (length(text) between 1 and 4000),
  lat numeric(9,6) check (lat between -11.5 and 6.5),
  lng numeric(9,6) check (lng between 94.5 and 141.5),
  region_code text,
  identity_mode text not null check (identity_mode in ('named','anonymous','confidential')),
  opd_id uuid references opd(id),
  status text not null check (status in ('held','received','verified','rejected','discarded','forwarded','in_progress','answered','closed')),
  -- a report held for moderation is not public until released
  held_reasons text[] not null default '{}',
  reason text not null default '',
  answer text not null default '',
  answered_at timestamptz,
  sla_started_on date not null,
  sla_due_on date not null,
  escalation_level smallint not null default 0 check (escalation_level between 0 and 2),
  rating smallint check (rating between 1 and 5),
  reopen_count smallint not null default 0 check (reopen_count between 0 and 1),
  version integer not null default 1,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (tenant_code, number),
  check ((target_kind = 'point') = (target_id is null)),
  check (target_kind <> 'point' or (lat is not null and lng is not null))
);
create unique index complaint_ticket_idx on complaint (ticket_hash);
-- the dashboard and the queues: counts by status and OPD, open tickets by due date, a target's public answers
create index complaint_status_idx on complaint (tenant_code, status, sla_due_on);
create index complaint_opd_idx on complaint (tenant_code, opd_id, status, sla_due_on);
create index complaint_open_due_idx on complaint (tenant_code, sla_due_on)
  where status in ('held','received','verified','forwarded','in_progress');
create index complaint_target_idx on complaint (target_kind, target_id) where target_id is not null;
create index complaint_category_idx on complaint (tenant_code, category, status);

-- Personal data of the reporter: only officers' queries read it, never a public one. Anonymous reports
-- have no row at all.
create table complaint_reporter (
  complaint_id uuid primary key references complaint(id) on delete cascade,
  tenant_code text not null,
  name text not null default '',
  contact text not null default '',
  user_id uuid references app_user(id)
);

create table complaint_event (
  id bigint generated always as identity primary key,
  tenant_code text not null,
  complaint_id uuid not null references complaint(id) on delete cascade,
  at timestamptz not null,
  action text not null,
  from_status text,
  to_status text not null,
  -- the officer's name, or 'Pelapor' / 'Sistem': a reporter is never named here
  actor_label text not null,
  public_note text not null default '',
  internal_note text not null default ''
);
create index complaint_event_idx on complaint_event (complaint_id, id);

create table complaint_photo (
  id uuid primary key,
  tenant_code text not null,
  complaint_id uuid not null references complaint(id) on delete cascade,
  no smallint not null check (no between 1 and 3),
  filename text not null,
  content_type text not null check (content_type in ('image/jpeg','image/png','image/webp')),
  size integer not null check (size > 0 and size <= 5242880),
  sha256 text not null,
  width integer not null,
  height integer not null,
  data bytea not null,
  thumb bytea not null,
  created_at timestamptz not null,
  unique (complaint_id, no),
  unique (complaint_id, sha256)
);

-- Submissions per source (a hashed IP or session) and WIB day: the rate limit and the moderation trigger.
create table complaint_rate (
  tenant_code text not null,
  source text not null,
  day date not null,
  count integer not null default 0,
  primary key (tenant_code, source, day)
);
`);
  }

  override down(): void {
    this.addSql(
      "drop table if exists complaint_rate, complaint_photo, complaint_event, complaint_reporter, complaint, holiday, complaint_category cascade; drop sequence if exists complaint_number_seq;",
    );
  }
}
