import { workspaceLoader } from "~/simple-workspace.server";
import { SimpleWorkspace } from "~/components/simple-workspace";

/** TAPD's workspace: every OPD's budget documents (e-Budgeting). */
export const loader = workspaceLoader("workspace.budget");

export default function Workspace() {
  return <SimpleWorkspace titleKey="ws.budget.title" showOpds />;
}
