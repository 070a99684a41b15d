import type { EntityManager } from "@mikro-orm/postgresql";
import { Opd } from "../../domain/tenancy/opd.entity";

/**
 * The EntityManager an import hands to the domain's use cases: the same one, minus two per-row round
 * trips that a file of 2,000 rows makes 2,000 times over.
 *
 * - OPD look-ups are answered from memory: cleanProposal looks up each row's OPD, and a file names the
 *   same few dozen. OPDs do not change during an import (the proposal's foreign key is the net).
 * - With `codes`, proposal codes continue from memory: nextProposalCode counts the desa's proposals
 *   for every new one (a scan that grows with each row). The first count per prefix is asked of the
 *   database; each later one is the previous plus the proposal just inserted. Safe only while the
 *   caller holds the forum's lock for the whole transaction and every count is followed by its insert
 *   or by the end of the import (a failed row aborts the file); the table's unique code is the net.
 *   If the domain's statement changes, this falls back to asking the database.
 *
 * Everything else goes to `em` itself, and a use case's transaction opened through the view keeps it.
 * The domain should not need this: a per-prefix counter row for proposal codes (O(1) instead of a
 * count) and OPD look-ups the caller can batch would make both tricks unnecessary.
 */
export function importView(em: EntityManager, opts: { codes: boolean }): EntityManager {
  const opds = new Map<string, Promise<unknown>>();
  const counts = new Map<string, number>();
  const view: EntityManager = new Proxy(em, {
    get(target, prop) {
      if (prop === "findOne")
        return (entity: unknown, where: unknown, options?: unknown) => {
          if (entity !== Opd) return target.findOne(entity as never, where as never, options as never);
          const key = JSON.stringify([where, options ?? null]);
          if (!opds.has(key)) opds.set(key, target.findOne(Opd, where as never, options as never));
          return opds.get(key);
        };
      if (prop === "execute" && opts.codes)
        return async (sql: unknown, params?: unknown[], ...rest: unknown[]) => {
          if (sql !== NEXT_CODE_SQL || !Array.isArray(params)) return target.execute(sql as string, params, ...(rest as []));
          const key = params.join("|");
          const known = counts.get(key);
          const n = known ?? Number((await target.execute<{ n: string }[]>(NEXT_CODE_SQL, params))[0].n);
          counts.set(key, n + 1);
          return [{ n: String(n) }];
        };
      if (prop === "transactional")
        return (work: (tx: EntityManager) => Promise<unknown>, options?: object) =>
          target.transactional((tx) => work(tx === target ? view : importView(tx, opts)), options);
      // why: MikroORM's methods use private fields, which a Proxy receiver cannot reach.
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return view;
}

/** The statement of nextProposalCode in domain/musrenbang/support.ts, character for character. */
const NEXT_CODE_SQL = "select count(*)::text as n from proposal where tenant_code = ? and fiscal_year = ? and code like ?";
