import type { EntityManager } from "@mikro-orm/postgresql";
import { DomainError } from "../kernel/domain-error";
import type { Clock } from "../kernel/clock";
import { transact } from "../audit/transact";
import type { Actor } from "../identity/actor";
import { assertRunsForum, loadForum, loadProposal } from "./support";
import { PHOTO_MAX, PHOTO_MAX_BYTES, PHOTO_TYPES } from "./vocabulary";

/** A photo already checked and processed at the edge (imports/media): sniffed type, checksum, thumbnail. */
export interface ProcessedPhoto {
  filename: string;
  contentType: (typeof PHOTO_TYPES)[number];
  size: number;
  sha256: string;
  width: number;
  height: number;
  data: Buffer;
  thumb: Buffer;
}

/**
 * Attaches photos to a proposal while it is editable (at most 5 in all, 5 MB each; the same picture
 * twice is refused). Who: the desa forum's facilitators. Emits ProposalPhotoAdded per photo.
 */
export async function addPhotos(em: EntityManager, actor: Actor, clock: Clock, proposalId: string, photos: ProcessedPhoto[]): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const p = await loadProposal(tx, proposalId, undefined, true);
    const forum = await loadForum(tx, p.currentForumId);
    await assertRunsForum(tx, actor, forum);
    if (p.status !== "submitted" || forum.status !== "open") throw new DomainError("musrenbang.usulan.notEditable", { status: p.status, forum: forum.status });
    const existing = await tx.execute<{ sha256: string }[]>("select sha256 from proposal_photo where proposal_id = ?", [p.id]);
    if (existing.length + photos.length > PHOTO_MAX) throw new DomainError("musrenbang.photo.tooMany", { max: PHOTO_MAX, have: existing.length }, "invalid", "photos");
    const seen = new Set(existing.map((e) => e.sha256));
    for (const ph of photos) {
      if (ph.size > PHOTO_MAX_BYTES) throw new DomainError("musrenbang.photo.tooLarge", { name: ph.filename, maxMb: 5 }, "invalid", "photos");
      if (!PHOTO_TYPES.includes(ph.contentType)) throw new DomainError("musrenbang.photo.type", { name: ph.filename }, "invalid", "photos");
      if (seen.has(ph.sha256)) throw new DomainError("musrenbang.photo.duplicate", { name: ph.filename }, "invalid", "photos");
      seen.add(ph.sha256);
      const id = crypto.randomUUID();
      await tx.execute(
        `insert into proposal_photo (id, tenant_code, proposal_id, filename, content_type, size, sha256, width, height, data, thumb, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [id, actor.tenant, p.id, ph.filename.slice(0, 200), ph.contentType, ph.size, ph.sha256, ph.width, ph.height, ph.data, ph.thumb, clock.now()],
      );
      record({ type: "ProposalPhotoAdded", entityType: "Proposal", entityId: p.id, after: { photo: id, filename: ph.filename, sha256: ph.sha256, size: ph.size } });
    }
  });
}

/** Removes a photo while the proposal is editable. Who: the desa forum's facilitators. */
export async function removePhoto(em: EntityManager, actor: Actor, clock: Clock, proposalId: string, photoId: string): Promise<void> {
  await transact(em, actor, clock, async (tx, record) => {
    const p = await loadProposal(tx, proposalId);
    const forum = await loadForum(tx, p.currentForumId);
    await assertRunsForum(tx, actor, forum);
    if (p.status !== "submitted" || forum.status !== "open") throw new DomainError("musrenbang.usulan.notEditable", { status: p.status, forum: forum.status });
    const rows = await tx.execute<{ sha256: string; filename: string }[]>("delete from proposal_photo where id = ? and proposal_id = ? returning sha256, filename", [photoId, p.id]);
    if (!rows.length) throw new DomainError("musrenbang.photo.notFound", {}, "notFound");
    record({ type: "ProposalPhotoRemoved", entityType: "Proposal", entityId: p.id, before: { photo: photoId, ...rows[0] } });
  });
}
