/**
 * How figures read on the page. A withheld figure (null: suppressed by disclosure control) shows as "withheld", never
 * as zero or a blank that could be mistaken for one.
 */
import { h } from './dom.js';

/** The text shown for a figure withheld by disclosure control. */
export const WITHHELD = 'withheld';

/**
 * A count or a mean for a table cell or a card.
 * @param v - the value, or null when withheld
 * @param decimals - decimals to show
 */
export function figure(v: number | null, decimals = 0): HTMLElement {
  if (v === null) {
    return h('span', { class: 'withheld', attrs: { title: 'Withheld by disclosure control' } }, WITHHELD);
  }
  return h('span', { class: 'num' }, v.toLocaleString('en-GB', { minimumFractionDigits: decimals, maximumFractionDigits: decimals }));
}

/**
 * A month label (YYYY-MM) as "Jan 2012".
 * @param month - YYYY-MM
 */
export function monthLabel(month: string): string {
  const names = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${names[Number(month.slice(5, 7)) - 1] ?? '?'} ${month.slice(0, 4)}`;
}
