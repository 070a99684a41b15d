import { workspaceLoader } from "~/simple-workspace.server";
import { SimpleWorkspace } from "~/components/simple-workspace";

/** A contractor's workspace: tenders open to them, their bids and contracts. */
export const loader = workspaceLoader("workspace.vendor");

export default function Workspace() {
  return <SimpleWorkspace titleKey="ws.vendor.title" />;
}
