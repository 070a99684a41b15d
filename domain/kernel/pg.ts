/**
 * A PostgreSQL array literal for a query parameter: `{"a","b"}`. The ORM's `execute` expands a JS array
 * parameter into a list (`?` → `?, ?`), so `= any(?::text[])` needs the array as one literal string.
 */
export function pgArray(xs: readonly string[]): string {
  return `{${xs.map((x) => `"${String(x).replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`).join(",")}}`;
}
