import { Migration } from "@mikro-orm/migrations";

/**
 * Stored OCDS records (issue #8: "a new release updates its stored record without recompiling unrelated
 * ones"): each contracting process's compiled release, kept by the publisher (exports/ocds/publish.ts →
 * exports/ocds/records.ts) in the transaction that stores the release, so that the records API, the bulk
 * files and the red flags read one stored text per process instead of merging all its releases again.
 *
 *   ocid           the process (ocds_process.ocid).
 *   seq            the process's number in ocds_process (its first publication): the records API's keyset.
 *   compiled       the compiled release as JSON text (`json`, not `jsonb`: served and streamed byte for byte).
 *   latest_seq     the highest publication number merged (a record is behind when a release of its ocid has
 *                  a higher one: syncOcdsRecords compiles it again).
 *   latest_date    the compiled release's date (the latest release date merged).
 *   releases       how many releases are merged.
 *
 * Derived data, so not append-only (a process's row is rewritten by each of its releases), but written only
 * by the publisher and by syncOcdsRecords (the backfill of databases published before this migration).
 */
export class Migration0019OcdsRecord extends Migration {
  override up(): void {
    this.addSql(`
create table ocds_record (
  ocid text primary key,
  tenant_code text not null,
  package_id uuid not null,
  seq bigint not null,
  compiled json not null,
  latest_seq bigint not null,
  latest_date timestamptz not null,
  releases int not null check (releases >= 0),
  updated_at timestamptz not null default now()
);
-- The records API's keyset (newest process first), and the red flags' pages.
create index ocds_record_tenant_seq_idx on ocds_record (tenant_code, seq desc);
-- The bulk files' keyset (by ocid) within a tenant, and their fiscal-year filter (the package's year).
create index ocds_record_tenant_ocid_idx on ocds_record (tenant_code, ocid);
create index ocds_record_package_idx on ocds_record (package_id);
`);
  }

  override down(): void {
    this.addSql("drop table if exists ocds_record;");
  }
}
