import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { escapeHtml, html } from "../../../app/components/html";
import { formatRupiah } from "../../../app/format";

const tricky = [`Tom & Jerry's "best" <b>deal</b>`, "5 > 3 < 4", "plain", "", "'&amp;'", "ü → ×"];

describe("html``: rows written as a string, the same markup as React's", () => {
  it.each(tricky)("escapes %j in text and attributes exactly as React does", (s) => {
    const react = renderToStaticMarkup(createElement("td", { title: s, className: "num" }, s));
    expect(html`<td title="${s}" class="num">${s}</td>`.html).toBe(react);
    expect(escapeHtml(s)).toBe(renderToStaticMarkup(createElement("b", null, s)).slice(3, -4));
  });

  it("nests fragments as they are, joins arrays, and renders nothing for null, undefined and booleans", () => {
    const rows = ["a<b", "c"].map((x, i) => html`<tr data-testid="line-${i + 1}"><td>${x}</td>${i ? html`<td>${"&"}</td>` : null}</tr>`);
    expect(html`<tbody>${rows}${undefined}${false}${true}</tbody>`.html).toBe('<tbody><tr data-testid="line-1"><td>a&lt;b</td></tr><tr data-testid="line-2"><td>c</td><td>&amp;</td></tr></tbody>');
    expect(html`${0} ${12.5}`.html).toBe("0 12.5");
  });
});

describe("formatRupiah", () => {
  it.each([
    ["0", "Rp0,00"],
    ["000", "Rp0,00"],
    ["0012345.6", "Rp12.345,60"],
    ["1", "Rp1,00"],
    ["12", "Rp12,00"],
    ["123", "Rp123,00"],
    ["1234", "Rp1.234,00"],
    ["123456", "Rp123.456,00"],
    ["1234567.89", "Rp1.234.567,89"],
    ["-0.5", "-Rp0,50"],
    [" 2500 ", "Rp2.500,00"],
  ])("%j → %s", (text, shown) => {
    expect(formatRupiah(text)).toBe(shown);
  });

  it("leaves what is not a canonical amount as it is", () => {
    for (const text of ["abc", "1.234", "1,5", "12.345", "1e5", "--1", ""]) expect(formatRupiah(text)).toBe(text);
  });
});
