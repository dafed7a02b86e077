/** Pure HTML building blocks shared by the run and compare pages. Cells are HTML already escaped. */
import { esc } from './page.js';

export function htmlTable(head: string[], rows: string[][], left: number[] = [0]): string {
  const cls = (i: number) => (left.includes(i) ? ' class="l"' : '');
  const th = head.map((h, i) => `<th${cls(i)}>${h}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${c}</td>`).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

export function codeCell(text: string): string {
  return `<code>${esc(text)}</code>`;
}

export function card(label: string, value: string, cls = ''): string {
  return `<div class="card"><div class="v${cls ? ` ${cls}` : ''}">${esc(value)}</div><div class="k">${esc(label)}</div></div>`;
}

export function canvas(id: string, tall = false): string {
  return `<div class="chart${tall ? ' tall' : ''}"><canvas id="${esc(id)}" role="img"></canvas></div>`;
}

export function section(heading: string, ...parts: string[]): string {
  const body = parts.filter((p) => p !== '').join('\n');
  return body ? `<section><h2>${esc(heading)}</h2>\n${body}\n</section>` : '';
}
