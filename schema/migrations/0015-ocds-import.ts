import { Migration } from "@mikro-orm/migrations";

/**
 * Other publishers' open contracting data (issue #8, `npm run ocds -- import`): SPSE / opentender.net
 * exports, a neighbouring pemda's releases. Kept in tables of their own, apart from Jejak's publication
 * (`ocds_release`, `ocds_process`), so that nothing imported is ever served by Jejak's API or bulk files as
 * if Jejak had published it.
 *
 *   ocds_import             one row per import run: the tenant, the publisher (from the package, from
 *                           --publisher, or the file name), the files, the sha256 of their bytes, the counts,
 *                           the quality report (jsonb), the warnings, when and by whom.
 *   ocds_external_release   each release once per (tenant, publisher, ocid, id): a re-import of the same
 *                           release is skipped (and counted so); the same ocid and id with another body is a
 *                           conflict the import refuses, never an overwrite. `data_sha256` is the hash of the
 *                           release's canonical JSON (keys sorted), what "the same body" means. `data` is
 *                           `json`: the text kept as read.
 *   ocds_external_link      an external process (publisher, ocid) linked to one of the tenant's RUP packages,
 *                           and how: `kode_rup` (the kode RUP in the data matched `proc_package.kode_rup`) or
 *                           `tender_code` (the kode tender matched an SPSE tender's `tender.code`); `value` is
 *                           the code that matched. See exports/ocds/import.ts for the rule.
 *
 * All three are append-only, like the publication and the audit trail (the trigger function of 0013). As
 * in 0013, no foreign key to the working tables: a link outlives a draft package someone deletes.
 */
export class Migration0015OcdsImport extends Migration {
  override up(): void {
    this.addSql(`
create table ocds_import (
  id uuid primary key,
  tenant_code text not null references tenant(code),
  publisher text not null,
  publisher_uri text not null default '',
  sources text[] not null,
  sha256 text not null,
  version text,
  releases_read integer not null,
  releases_new integer not null,
  releases_present integer not null,
  links_new integer not null,
  quality jsonb not null,
  warnings text[] not null default '{}',
  imported_at timestamptz not null,
  imported_by text not null
);
create index ocds_import_tenant_idx on ocds_import (tenant_code, imported_at desc);

create table ocds_external_release (
  seq bigserial primary key,
  import_id uuid not null references ocds_import(id),
  tenant_code text not null,
  publisher text not null,
  ocid text not null,
  id text not null,
  date timestamptz not null,
  tags text[] not null default '{}',
  data_sha256 text not null,
  data json not null,
  unique (tenant_code, publisher, ocid, id)
);
create index ocds_external_release_ocid_idx on ocds_external_release (tenant_code, ocid, date);

create table ocds_external_link (
  tenant_code text not null,
  publisher text not null,
  ocid text not null,
  package_id uuid not null,
  matched_by text not null check (matched_by in ('kode_rup','tender_code')),
  value text not null,
  import_id uuid not null references ocds_import(id),
  created_at timestamptz not null,
  primary key (tenant_code, publisher, ocid, package_id)
);
create index ocds_external_link_package_idx on ocds_external_link (package_id);

create trigger ocds_import_no_update before update or delete on ocds_import
  for each row execute function ocds_release_refuse_change();
create trigger ocds_import_no_truncate before truncate on ocds_import
  for each statement execute function ocds_release_refuse_change();
create trigger ocds_external_release_no_update before update or delete on ocds_external_release
  for each row execute function ocds_release_refuse_change();
create trigger ocds_external_release_no_truncate before truncate on ocds_external_release
  for each statement execute function ocds_release_refuse_change();
create trigger ocds_external_link_no_update before update or delete on ocds_external_link
  for each row execute function ocds_release_refuse_change();
create trigger ocds_external_link_no_truncate before truncate on ocds_external_link
  for each statement execute function ocds_release_refuse_change();
`);
  }

  override down(): void {
    this.addSql("drop table if exists ocds_external_link, ocds_external_release, ocds_import cascade;");
  }
}
