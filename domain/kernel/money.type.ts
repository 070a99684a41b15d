import { Type } from "@mikro-orm/core";
import { Money } from "./money";

/** numeric(20,2) ⇄ Money. Canonical strings keep the unit of work from seeing spurious changes. */
export class MoneyType extends Type<Money | null, string | null> {
  override convertToDatabaseValue(v: Money | string | null): string | null {
    return v == null ? null : String(v);
  }
  override convertToJSValue(v: Money | string | null): Money | null {
    return v == null || v instanceof Money ? v : Money.idr(String(v));
  }
  override getColumnType(): string {
    return "numeric(20,2)";
  }
  override compareAsType(): string {
    return "string";
  }
}
