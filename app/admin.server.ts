import { field } from "./http.server";

/** Reads the role rows of the user form: role.N and scope.N, in order, skipping gaps. */
export function parseAssignments(form: FormData): { role: string; scopeCode: string }[] {
  const rows: { i: number; role: string; scopeCode: string }[] = [];
  for (const key of form.keys()) {
    const m = /^role\.(\d{1,3})$/.exec(key);
    if (m) rows.push({ i: Number(m[1]), role: field(form, key), scopeCode: field(form, `scope.${m[1]}`) });
  }
  return rows.sort((a, b) => a.i - b.i).map(({ role, scopeCode }) => ({ role, scopeCode }));
}
