import { Migration } from "@mikro-orm/migrations";

/**
 * e-Planning's reference data: the planning nomenclature (urusan → bidang urusan → program → kegiatan →
 * sub kegiatan) and the account codes (kode rekening), each as a set versioned by the decree it comes
 * from and the fiscal year it applies from; and the bidang urusan each OPD carries out.
 */
export class Migration0004Nomenclature extends Migration {
  override up(): void {
    this.addSql(`
create table nomenclature_set (
  id uuid primary key,
  kind text not null check (kind in ('planning','account')),
  decree text not null,
  applies_from smallint not null check (applies_from between 2000 and 2100),
  sub_width smallint not null default 4 check (sub_width in (2, 4)),
  source text not null default '',
  imported_at timestamptz not null default now(),
  imported_by text not null,
  unique (kind, applies_from, decree)
);

create table nomenclature_item (
  set_id uuid not null references nomenclature_set(id) on delete cascade,
  code text not null,
  level text not null check (level in ('urusan','bidang','program','kegiatan','sub_kegiatan')),
  parent_code text,
  name text not null,
  output text not null default '',
  indicator text not null default '',
  unit text not null default '',
  primary key (set_id, code)
);
create index nomenclature_item_parent_idx on nomenclature_item (set_id, parent_code);
create index nomenclature_item_name_trgm_idx on nomenclature_item using gin (lower(name) gin_trgm_ops);

create table account_code (
  set_id uuid not null references nomenclature_set(id) on delete cascade,
  code text not null,
  level smallint not null check (level between 1 and 6),
  parent_code text,
  name text not null,
  primary key (set_id, code)
);
create index account_code_parent_idx on account_code (set_id, parent_code);

create table opd_bidang (
  tenant_code text not null references tenant(code),
  opd_id uuid not null references opd(id) on delete cascade,
  bidang_code text not null check (bidang_code ~ '^\\d\\.\\d{2}$'),
  primary key (opd_id, bidang_code)
);
create index opd_bidang_tenant_idx on opd_bidang (tenant_code, bidang_code);
`);
  }

  override down(): void {
    this.addSql("drop table if exists opd_bidang, account_code, nomenclature_item, nomenclature_set cascade;");
  }
}
