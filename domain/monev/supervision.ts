import type { EntityManager } from "@mikro-orm/postgresql";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import type { Clock } from "../kernel/clock";
import { isUuid } from "../kernel/codes";
import { DomainError } from "../kernel/domain-error";
import { assertPpkOf, assertRunning, loadMonevContract } from "./support";

/**
 * Supervising consultants (konsultan pengawas) of a contract. The PPK of the contract's OPD assigns a user
 * account of the tenant — typically the staff account of the consultancy firm holding the supervision
 * contract — to a running contract; from then on that account verifies or returns the contract's progress
 * reports beside the PPK (domain/monev/support.ts assertVerifierOf), and no other contract's. The PPK may
 * end the assignment with a reason. Every assignment stays on record (contract_supervisor, migration 0021)
 * and in the audit trail.
 */

/** The shortest reason for ending an assignment. */
const MIN_REASON = 10;

export interface AssignSupervisorInput {
  /** The consultant's account. */
  username: string;
  /** The letter of assignment (surat penugasan) or the supervision contract's number. */
  letterNumber?: string;
}

/**
 * The PPK assigns a supervising consultant's account to a running contract. Emits SupervisorAssigned.
 * Refuses: not the PPK of the contract's OPD, a contract not running, an unknown or inactive account, the
 * PPK's own account, an account of the contract's own contractor (it would verify its own reports), an
 * account already assigned to this contract. Returns the assignment's id.
 */
export async function assignSupervisor(em: EntityManager, actor: Actor, clock: Clock, contractId: string, input: AssignSupervisorInput): Promise<string> {
  return transact(em, actor, clock, async (tx, record) => {
    const m = await loadMonevContract(tx, actor.tenant, contractId, true);
    assertPpkOf(actor, m);
    assertRunning(m.contract);
    const username = String(input.username ?? "").trim().toLowerCase();
    if (!username) throw new DomainError("monev.supervisor.usernameRequired", {}, "invalid", "username");
    const [user] = await tx.execute<{ id: string; display_name: string; active: boolean }[]>(
      "select id, display_name, active from app_user where tenant_code = ? and username = ?",
      [actor.tenant, username],
    );
    if (!user || !user.active) throw new DomainError("monev.supervisor.userUnknown", { username }, "invalid", "username");
    if (user.id === actor.userId) throw new DomainError("monev.supervisor.notSelf", {}, "invalid", "username");
    const [own] = await tx.execute<{ id: string }[]>(
      `select r.id from role_assignment r join vendor v on v.tenant_code = r.tenant_code and v.npwp = r.scope_code
        where r.user_id = ? and r.role = 'contractor' and v.id = ?`,
      [user.id, m.contract.vendor_id],
    );
    if (own) throw new DomainError("monev.supervisor.contractorOfContract", { username, vendor: m.contract.vendor_name }, "invalid", "username");
    const [already] = await tx.execute<{ id: string }[]>("select id from contract_supervisor where contract_id = ? and user_id = ? and ended_at is null", [m.contract.id, user.id]);
    if (already) throw new DomainError("monev.supervisor.alreadyAssigned", { username }, "conflict", "username");
    const letterNumber = String(input.letterNumber ?? "").trim().slice(0, 200);
    const id = crypto.randomUUID();
    const now = clock.now();
    await tx.execute(
      "insert into contract_supervisor (id, tenant_code, contract_id, user_id, letter_number, assigned_at, assigned_by) values (?, ?, ?, ?, ?, ?, ?)",
      [id, actor.tenant, m.contract.id, user.id, letterNumber, now, actor.displayName],
    );
    record({
      type: "SupervisorAssigned",
      entityType: "ContractSupervisor",
      entityId: id,
      after: { contract: m.contract.id, user: username, displayName: user.display_name, letterNumber: letterNumber || null },
    });
    return id;
  });
}

/**
 * The PPK ends a supervising consultant's assignment, with the reason; the consultant can no longer verify
 * or return the contract's reports (its verifications so far stand). Emits SupervisorUnassigned. Refuses:
 * not the PPK of the contract's OPD, an assignment already ended, a reason shorter than 10 characters.
 */
export async function unassignSupervisor(em: EntityManager, actor: Actor, clock: Clock, assignmentId: string, reason: string): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    if (!isUuid(assignmentId)) throw new DomainError("monev.supervisor.notFound", {}, "notFound");
    const [a] = await tx.execute<{ id: string; contract_id: string; ended_at: string | null; username: string }[]>(
      `select s.id, s.contract_id, s.ended_at::text as ended_at, u.username from contract_supervisor s join app_user u on u.id = s.user_id
        where s.tenant_code = ? and s.id = ? for update of s`,
      [actor.tenant, assignmentId],
    );
    if (!a) throw new DomainError("monev.supervisor.notFound", {}, "notFound");
    const m = await loadMonevContract(tx, actor.tenant, a.contract_id);
    assertPpkOf(actor, m);
    if (a.ended_at) throw new DomainError("monev.supervisor.alreadyEnded", { username: a.username }, "conflict");
    const text = String(reason ?? "").trim().slice(0, 2000);
    if (text.length < MIN_REASON) throw new DomainError("monev.supervisor.reasonRequired", {}, "invalid", "reason");
    await tx.execute("update contract_supervisor set ended_at = ?, ended_by = ?, end_reason = ? where id = ?", [clock.now(), actor.displayName, text, a.id]);
    record({ type: "SupervisorUnassigned", entityType: "ContractSupervisor", entityId: a.id, before: { ended: false }, after: { contract: a.contract_id, user: a.username, reason: text } });
  });
}

export interface SupervisorRow {
  id: string;
  username: string;
  display_name: string;
  letter_number: string;
  assigned_at: string;
  assigned_by: string;
  ended_at: string | null;
  ended_by: string | null;
  end_reason: string;
}

/** A contract's supervising consultants, current and past, in the order they were assigned. */
export async function contractSupervisors(em: EntityManager, tenant: string, contractId: string): Promise<SupervisorRow[]> {
  if (!isUuid(contractId)) return [];
  return em.execute<SupervisorRow[]>(
    `select s.id, u.username, u.display_name, s.letter_number, s.assigned_at::text as assigned_at, s.assigned_by, s.ended_at::text as ended_at, s.ended_by, s.end_reason
       from contract_supervisor s join app_user u on u.id = s.user_id
      where s.tenant_code = ? and s.contract_id = ? order by s.assigned_at, u.username`,
    [tenant, contractId],
  );
}

/**
 * The consultant's work list: the contracts it is assigned to now (with their OPD, contractor, latest
 * verified progress and how many reports wait), and the reports waiting for verification on them, oldest
 * first.
 */
export async function supervisionWorklist(em: EntityManager, actor: Actor) {
  if (!actor.userId) return { contracts: [], waiting: [] };
  const contracts = await em.execute<
    { id: string; number: string | null; package_name: string; opd_name: string; vendor_name: string; status: string; start_date: string | null; end_date: string | null; assigned_at: string; latest: string | null; waiting: number }[]
  >(
    `select c.id, c.number, p.name as package_name, o.name as opd_name, v.name as vendor_name, c.status,
            to_char(c.start_date, 'YYYY-MM-DD') as start_date, to_char(c.end_date, 'YYYY-MM-DD') as end_date, s.assigned_at::text as assigned_at,
            (select r.physical::text from progress_report r where r.contract_id = c.id and r.status = 'verified' order by r.period_no desc limit 1) as latest,
            (select count(*)::int from progress_report r where r.contract_id = c.id and r.status = 'submitted') as waiting
       from contract_supervisor s join contract c on c.id = s.contract_id join proc_package p on p.id = c.package_id join opd o on o.id = p.opd_id join vendor v on v.id = c.vendor_id
      where s.tenant_code = ? and s.user_id = ? and s.ended_at is null
      order by s.assigned_at`,
    [actor.tenant, actor.userId],
  );
  const waiting = await em.execute<{ id: string; contract_id: string; number: string | null; package_name: string; vendor_name: string; period_no: number; physical: string; planned: string; submitted_at: string }[]>(
    `select r.id, c.id as contract_id, c.number, p.name as package_name, v.name as vendor_name, r.period_no::int as period_no, r.physical::text as physical, r.planned::text as planned,
            r.submitted_at::text as submitted_at
       from contract_supervisor s join progress_report r on r.contract_id = s.contract_id and r.status = 'submitted'
       join contract c on c.id = s.contract_id join proc_package p on p.id = c.package_id join vendor v on v.id = c.vendor_id
      where s.tenant_code = ? and s.user_id = ? and s.ended_at is null
      order by r.submitted_at`,
    [actor.tenant, actor.userId],
  );
  return { contracts, waiting };
}
