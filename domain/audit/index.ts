export { AuditEvent } from "./audit-event.entity";
export { appendAudit } from "./append";
export { verifyAuditChain, type ChainReport } from "./verify";
export { canonicalJson, auditHash, GENESIS_HASH } from "./hash";
export * from "./queries";
export { transact } from "./transact";
