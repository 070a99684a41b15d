import { Migration } from "@mikro-orm/migrations";

/**
 * Open contracting data (issue #8): every procurement event's OCDS release, written in the transaction of
 * the event (domain/procurement/events.ts → exports/ocds/publish.ts) and never rewritten — a correction is
 * a new release. The database refuses UPDATE, DELETE and TRUNCATE, as it does for the audit trail.
 *
 *   seq        publication order: the API's keyset (with `date`), and the merge order of releases with
 *              equal dates (the standard merges them in the order they were published).
 *   ocid, id   the release's own identifiers, unique together as OCDS requires.
 *   event_id   the `procurement_event` it publishes: one release per event.
 *   date       the release's `date` (the event's moment), for the API's since/until and its order.
 *   data       the release as published: `json`, not `jsonb`, so that the text served (and hashed for
 *              ETags, and streamed in bulk files) is byte for byte the text validated and stored.
 *
 * `ocds_process` lists each contracting process (ocid) once, numbered in the order its first release was
 * published: the record API pages processes by that number (a keyset that never moves), without scanning
 * releases for first ones. Written with the first release (`on conflict do nothing` for the later ones),
 * and append-only too.
 *
 * No foreign keys: the publication outlives anything a maintenance task might remove from the working
 * tables (and tenant-distributed tables keep their joins local).
 */
export class Migration0013Ocds extends Migration {
  override up(): void {
    this.addSql(`
create table ocds_release (
  seq bigserial primary key,
  tenant_code text not null,
  ocid text not null,
  id text not null,
  package_id uuid not null,
  event_id bigint not null unique,
  date timestamptz not null,
  tags text[] not null check (cardinality(tags) > 0),
  data json not null,
  created_at timestamptz not null default now(),
  unique (ocid, id)
);
create index ocds_release_date_idx on ocds_release (tenant_code, date desc, seq desc);
create index ocds_release_ocid_idx on ocds_release (ocid, date desc, seq desc);
create index ocds_release_package_idx on ocds_release (package_id, seq);

create table ocds_process (
  ocid text primary key,
  seq bigserial not null unique,
  tenant_code text not null,
  package_id uuid not null,
  created_at timestamptz not null default now()
);
create index ocds_process_tenant_idx on ocds_process (tenant_code, seq desc);

create function ocds_release_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception '% is append-only: % refused (a correction is a new release)', tg_table_name, tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger ocds_release_no_update before update or delete on ocds_release
  for each row execute function ocds_release_refuse_change();
create trigger ocds_release_no_truncate before truncate on ocds_release
  for each statement execute function ocds_release_refuse_change();
create trigger ocds_process_no_update before update or delete on ocds_process
  for each row execute function ocds_release_refuse_change();
create trigger ocds_process_no_truncate before truncate on ocds_process
  for each statement execute function ocds_release_refuse_change();
`);
  }

  override down(): void {
    this.addSql("drop table if exists ocds_release, ocds_process cascade; drop function if exists ocds_release_refuse_change();");
  }
}
