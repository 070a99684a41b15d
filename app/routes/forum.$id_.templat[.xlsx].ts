import type { LoaderFunctionArgs } from "@remix-run/node";
import { em } from "~/db.server";
import { guardForum } from "~/musrenbang.server";
import { forumTemplateData, writeForumTemplate } from "~/domain.server";

/**
 * The forum's own Excel template for an offline forum, pre-filled with its proposals and scores: fill
 * it without connectivity, then upload it on the forum page. Only the forum's facilitators (403).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { viewer, header } = await guardForum(request, params.id ?? "");
  const bytes = await writeForumTemplate(await forumTemplateData(await em(), viewer.actor, params.id!));
  const name = `templat-${header.name.replace(/[^\w]+/g, "-").toLowerCase()}-${header.fiscalYear}.xlsx`;
  return new Response(new Uint8Array(bytes), {
    headers: {
      "Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "private, no-store",
    },
  });
}
