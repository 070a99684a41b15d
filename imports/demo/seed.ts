import type { EntityManager } from "@mikro-orm/postgresql";
import { Actor } from "../../domain/identity/actor";
import { createUser } from "../../domain/identity/users";
import { DomainError } from "../../domain/kernel/domain-error";
import { systemClock } from "../../domain/kernel/clock";
import { transact } from "../../domain/audit/transact";
import { ensureTenant } from "../../domain/tenancy/tenants";
import { Opd } from "../../domain/tenancy/opd.entity";
import { User } from "../../domain/identity/user.entity";
import { DEMO_OPDS, DEMO_PASSWORD, DEMO_TENANT, DEMO_USERS } from "./bojonegoro";
import { seedDemoMusrenbang } from "./musrenbang";
import { seedDemoPlanning } from "./planning";
import { seedDemoPrices } from "../budgeting/demo";
import { seedDemoBudgeting } from "./budgeting";
import { seedDemoApbd } from "./apbd";
import { seedDemoProcurement } from "./procurement";
import { seedDemoMonev } from "./monev";
import { seedNomenclature } from "../nomenclature/demo";

/** How far through the cycle the demo goes: tests of a stage start from the data the stage before it left. */
export type DemoStage = "musrenbang" | "planning" | "budgeting" | "apbd" | "procurement" | "monev";

const DEMO_STAGES: readonly DemoStage[] = ["musrenbang", "planning", "budgeting", "apbd", "procurement", "monev"];

export function demoAllowed(nodeEnv = process.env.NODE_ENV): boolean {
  return nodeEnv !== "production";
}

/**
 * Loads the demo kabupaten: tenant, OPDs, one account per role, then its e-Musrenbang (a finished 2027
 * cycle and an open 2028 one, imports/demo/musrenbang.ts), e-Planning (RPJMD 2026–2030 and RKPD
 * 2027, imports/demo/planning.ts) and e-Budgeting (the 2027 standard price lists, imports/budgeting/demo.ts;
 * KUA-PPAS and RKA 2027, imports/demo/budgeting.ts; the APBD 2027 adopted and its DPAs with their cash plans,
 * imports/demo/apbd.ts) and e-Procurement (vendors, the RUP, a finished tender with its contract, a direct
 * procurement, a tender taking bids; imports/demo/procurement.ts) and e-Monev (the road contract's schedule,
 * reports, advance payment and a citizen's report answered; imports/demo/monev.ts), up to `upTo` (by default every stage). Idempotent (existing rows are kept; a demo
 * database from an earlier stage gets the later stages on the next run). `created` is true when anything
 * was written. Refused in production, so demo passwords can never reach a live deployment.
 */
export async function seedDemo(em: EntityManager, opts: { allowed: boolean; upTo?: DemoStage }): Promise<{ created: boolean }> {
  const upTo = opts.upTo ?? "monev";
  const reach = (stage: DemoStage) => DEMO_STAGES.indexOf(stage) <= DEMO_STAGES.indexOf(upTo);
  if (!opts.allowed) throw new DomainError("demo.refusedInProduction");
  const tenant = DEMO_TENANT.code;
  await ensureTenant(em, DEMO_TENANT.code, DEMO_TENANT.name);
  const system = Actor.system(tenant, "seed-demo");
  const fork = em.fork();
  fork.setFilterParams("tenant", { tenant });
  if ((await fork.count(User, {})) > 0) {
    await seedNomenclature(em.fork(), system);
    const musrenbang = (await seedDemoMusrenbang(em.fork())).created;
    const planning = reach("planning") && (await seedDemoPlanning(em.fork())).created;
    let budgeting = false;
    if (reach("budgeting")) {
      const prices = (await seedDemoPrices(em.fork(), system)).created.length > 0;
      budgeting = (await seedDemoBudgeting(em.fork())).created || prices;
    }
    const apbd = reach("apbd") && (await seedDemoApbd(em.fork())).created;
    const procurement = reach("procurement") && (await seedDemoProcurement(em.fork())).created;
    const monev = reach("monev") && (await seedDemoMonev(em.fork())).created;
    return { created: musrenbang || planning || budgeting || apbd || procurement || monev };
  }
  await transact(em.fork(), system, systemClock, async (tx, record) => {
    for (const o of DEMO_OPDS) {
      const opd = tx.create(Opd, { tenantCode: tenant, ...o });
      record({ type: "OpdCreated", entityType: "Opd", entityId: opd.id, after: o });
    }
  });
  for (const u of DEMO_USERS)
    await createUser(em.fork(), system, systemClock, {
      username: u.username,
      displayName: u.displayName,
      password: DEMO_PASSWORD,
      assignments: [{ role: u.role, scopeCode: u.scopeCode }],
    });
  await seedNomenclature(em.fork(), system);
  await seedDemoMusrenbang(em.fork());
  if (reach("planning")) await seedDemoPlanning(em.fork());
  if (reach("budgeting")) {
    await seedDemoPrices(em.fork(), system);
    await seedDemoBudgeting(em.fork());
  }
  if (reach("apbd")) await seedDemoApbd(em.fork());
  if (reach("procurement")) await seedDemoProcurement(em.fork());
  if (reach("monev")) await seedDemoMonev(em.fork());
  return { created: true };
}
