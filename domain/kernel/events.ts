/** Something that happened in the domain, returned by entity methods and appended to the audit trail. */
export interface DomainEvent {
  /** Past tense, e.g. "UserCreated", "ProposalRejected". */
  type: string;
  entityType: string;
  entityId: string;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
}
