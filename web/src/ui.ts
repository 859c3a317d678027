/** Small building blocks of the pages: cards, tables, notices, selects. */
import { h, type Child } from './dom.js';

/**
 * A summary card: a label and its figure.
 * @param label - what the figure is
 * @param value - the figure (an element from format.ts)
 */
export function card(label: string, value: Child): HTMLElement {
  return h('div', { class: 'card' }, h('div', { class: 'card-label' }, label), h('div', { class: 'card-value' }, value));
}

/**
 * An accessible data table: caption, column headers, row headers in the first column.
 * @param caption - the table's caption
 * @param head - column headings
 * @param rows - rows of cells (the first cell is the row header)
 * @param testId - a data-testid for the browser tests
 */
export function table(caption: string, head: readonly string[], rows: readonly (readonly Child[])[], testId?: string): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { attrs: { 'data-testid': testId } },
      h('caption', {}, caption),
      h('thead', {}, h('tr', {}, ...head.map((c) => h('th', { attrs: { scope: 'col' } }, c)))),
      h('tbody', {}, ...rows.map((r) => h('tr', {}, ...r.map((c, i) => (i === 0 ? h('th', { attrs: { scope: 'row' } }, c) : h('td', {}, c)))))),
    ),
  );
}

/**
 * A notice: `alert` for errors and refusals (announced), `note` for explanations.
 * @param kind - alert or note
 * @param children - its content
 */
export function notice(kind: 'alert' | 'note', ...children: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, attrs: kind === 'alert' ? { role: 'alert' } : {} }, ...children);
}

/**
 * A labelled select.
 * @param id - element id
 * @param label - the visible label
 * @param options - value and text of each option
 * @param value - the selected value
 */
export function select(id: string, label: string, options: readonly (readonly [string, string])[], value: string): HTMLElement {
  const el = h('select', { attrs: { id, name: id } }, ...options.map(([v, text]) => h('option', { attrs: { value: v, selected: v === value } }, text)));
  return h('div', { class: 'field' }, h('label', { attrs: { for: id } }, label), el);
}

/**
 * A labelled input.
 * @param id - element id
 * @param label - the visible label
 * @param attrs - input attributes (type, value, autocomplete…)
 */
export function input(id: string, label: string, attrs: Readonly<Record<string, string | boolean | undefined>>): HTMLElement {
  return h('div', { class: 'field' }, h('label', { attrs: { for: id } }, label), h('input', { attrs: { id, name: id, ...attrs } }));
}

/**
 * A page section with a heading.
 * @param title - the heading
 * @param children - its content
 */
export function section(title: string, ...children: Child[]): HTMLElement {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { attrs: { 'aria-labelledby': id } }, h('h2', { attrs: { id } }, title), ...children);
}
