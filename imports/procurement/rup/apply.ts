import type { EntityManager } from "@mikro-orm/postgresql";
import type { Actor } from "../../../domain/identity/actor";
import type { Clock } from "../../../domain/kernel/clock";
import { DomainError, ValidationErrors, type FieldProblem } from "../../../domain/kernel/domain-error";
import { importPackage, packageChanges, packageStateOf, packageStateOfForm } from "../../../domain/procurement/packages";
import { ImportRefused, sortErrors } from "../sheet-tables";
import type { RupChecked } from "./check";
import { columnOf } from "./layout";
import type { RupRead } from "./read";

/**
 * Applying a checked RUP file (rows → the domain's use case), in file order, inside the import's
 * transaction: each new or changed package through `importPackage` — planPackage's rules, the DPA lines
 * locked and checked again, PackagePlanned / PackageAmended published — and an unchanged row left alone
 * without a call (a pemda-wide file is mostly unchanged rows). A refusal there cannot happen after the
 * check; if it does, it is reported by cell like the check's errors and nothing is written.
 */
export async function applyRup(tx: EntityManager, actor: Actor, clock: Clock, read: RupRead, checked: RupChecked) {
  const { linesOf, errors, order } = read;
  const { plans, linesOfPackage, locationsOfPackage } = checked;
  let created = 0;
  let updated = 0;
  let unchanged = 0;
  let announced = 0;
  for (const plan of plans) {
    const v = plan.valid!;
    const { old } = plan;
    if (old) {
      // An unchanged row is left alone here, without a call: a pemda-wide file is mostly unchanged rows.
      const was = packageStateOf(old, linesOfPackage(old.id), locationsOfPackage(old.id));
      const changes = packageChanges(was, packageStateOfForm(v, v.ppkName || old.ppk_name || actor.displayName));
      if (!Object.keys(changes).length && !(plan.announce && old.status === "draft")) {
        unchanged++;
        continue;
      }
    }
    try {
      const r = await importPackage(tx, actor, clock, { ...plan.form, kodeRup: plan.p.kode, announce: plan.announce, expectedVersion: old?.version });
      if (!old) created++;
      else updated++;
      if (r.announced) announced++;
    } catch (e) {
      // Cannot happen after the checks above (same transaction, lines and packages locked); reported by cell, not thrown, if it does.
      if (!(e instanceof DomainError) || e.kind === "forbidden") throw e;
      const problems: FieldProblem[] = e instanceof ValidationErrors ? e.problems : [{ field: e.field ?? "kodeRup", key: e.key, params: e.params }];
      for (const x of problems) {
        const first = (linesOf.get(plan.p.kode) ?? [])[0];
        if (x.field.startsWith("lines") && first) errors.push({ row: first.row.n, ...first.t.place("amount"), key: x.key, params: x.params });
        else errors.push({ row: plan.p.row.n, ...plan.p.t.place(columnOf(x.field)), key: x.key, params: x.params });
      }
    }
  }
  if (errors.length) throw new ImportRefused(sortErrors(errors, order));
  return { created, updated, unchanged, announced };
}
