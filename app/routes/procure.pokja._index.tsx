import { workspaceLoader } from "~/simple-workspace.server";
import { SimpleWorkspace } from "~/components/simple-workspace";

/** The Pokja's workspace: the tenders assigned to them (e-Procurement). */
export const loader = workspaceLoader("workspace.pokja");

export default function Workspace() {
  return <SimpleWorkspace titleKey="ws.procurement.title" />;
}
