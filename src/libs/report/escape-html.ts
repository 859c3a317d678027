const ENTITIES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '`': '&#96;' };

/**
 * Escape text for HTML element content and quoted attribute values: the five markup characters and the backtick
 * become character references, and control characters (other than tab, line feed and carriage return), which HTML
 * forbids, become U+FFFD. The result can never open a tag, close an attribute or start a character reference.
 * @param text - any text, however hostile
 */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '\uFFFD').replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}
