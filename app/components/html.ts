/**
 * HTML written as a string, for the long repeated parts (a table of hundreds of rows, a list of
 * hundreds of options) of pages that ship no scripts. React spends a few microseconds on every element
 * it renders on the server; 300 RKA lines are some 5,000 elements and a third of the page's CPU. Such a
 * part is built with `html` and handed to React whole (`dangerouslySetInnerHTML={{ __html: x.html }}`).
 *
 * Every interpolated value is escaped exactly as React escapes text and attribute values, so the markup
 * is the same as React's; null, undefined and booleans render nothing (as in JSX); arrays are joined;
 * only a nested html`` fragment goes in as it is. Interpolate attribute values inside double quotes.
 */
export class Html {
  constructor(readonly html: string) {}
  toString() {
    return this.html;
  }
}

const ENTITIES: Record<string, string> = { '"': "&quot;", "&": "&amp;", "'": "&#x27;", "<": "&lt;", ">": "&gt;" };
const SPECIAL = /["&'<>]/;

/** Text or an attribute value escaped as React does (`"&'<>`). */
export function escapeHtml(text: string): string {
  return SPECIAL.test(text) ? text.replace(/["&'<>]/g, (c) => ENTITIES[c]) : text;
}

function part(value: unknown): string {
  if (typeof value === "string") return escapeHtml(value);
  if (value instanceof Html) return value.html;
  if (value == null || typeof value === "boolean") return "";
  if (Array.isArray(value)) {
    let s = "";
    for (const v of value) s += part(v);
    return s;
  }
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let s = strings[0];
  for (let i = 0; i < values.length; i++) s += part(values[i]) + strings[i + 1];
  return new Html(s);
}
