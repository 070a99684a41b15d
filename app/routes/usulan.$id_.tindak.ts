import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { em } from "~/db.server";
import { field, readForm, runUseCase } from "~/http.server";
import { requireViewer } from "~/session.server";
import { safeNext } from "~/workspaces";
import { flashCookie } from "~/flash.server";
import { tFor } from "~/lang.server";
import {
  acceptProposal,
  keepBothProposals,
  mergeProposal,
  notAdoptProposal,
  rejectProposal,
  systemClock,
  proposalDetail,
  transferProposal,
  verifyProposal,
  withdrawProposal,
} from "~/domain.server";

/**
 * Every decision on a proposal posts here (intent: verify, reject, merge, keep, accept, transfer,
 * notAdopt, withdraw). The use case checks who may decide what, in which forum state; the version is
 * read fresh, so two officers deciding at once cannot both succeed on a stale state (the machine refuses
 * the second). Redirects back, with the outcome in the query string, or answers 4xx with the message.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { actor } = await requireViewer(request);
  const form = await readForm(request);
  const id = params.id ?? "";
  const intent = field(form, "intent");
  const reason = field(form, "reason");
  const back = safeNext(field(form, "back")) ?? `/usulan/${id}`;
  const r = await runUseCase(request, async () => {
    const db = await em();
    const current = await proposalDetail(db, actor.tenant, id);
    if (!current) throw new Response("not found", { status: 404 });
    const v = Number(field(form, "version") || current.version);
    switch (intent) {
      case "verify":
        return verifyProposal(db, actor, systemClock, id, v);
      case "reject":
        return rejectProposal(db, actor, systemClock, id, reason, v);
      case "merge":
        return mergeProposal(db, actor, systemClock, id, field(form, "into"), reason, v);
      case "keep":
        return keepBothProposals(db, actor, systemClock, id, field(form, "other"));
      case "accept":
        return acceptProposal(db, actor, systemClock, id, field(form, "subKegiatan"), reason, v);
      case "transfer":
        return transferProposal(db, actor, systemClock, id, field(form, "opd"), reason, v);
      case "notAdopt":
        return notAdoptProposal(db, actor, systemClock, id, reason, v);
      case "withdraw":
        return withdrawProposal(db, actor, systemClock, id, reason, v);
      default:
        throw new Response("unknown intent", { status: 400 });
    }
  });
  if (!r.ok) {
    const body = (await r.response.json()) as { message: string };
    if (request.headers.get("accept")?.includes("application/json")) return json(body, { status: r.response.status });
    return redirect(back, { headers: { "Set-Cookie": flashCookie(request, { kind: "error", message: body.message }) } });
  }
  return redirect(back, { headers: { "Set-Cookie": flashCookie(request, { kind: "ok", message: tFor(request)("mus.forum.saved") }) } });
}

export function loader({ params }: { params: { id?: string } }) {
  return redirect(`/usulan/${params.id ?? ""}`);
}
