import { workspaceLoader } from "~/simple-workspace.server";
import { SimpleWorkspace } from "~/components/simple-workspace";

/** A procurement officer's workspace: their OPD's packages and tenders (e-Procurement). */
export const loader = workspaceLoader("workspace.procurement");

export default function Workspace() {
  return <SimpleWorkspace titleKey="ws.procurement.title" />;
}
