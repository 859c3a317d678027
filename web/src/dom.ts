/**
 * Building the page from DOM nodes only. Text always goes in as text nodes, never parsed as HTML, so names, codes and
 * anything else from the server render inert; the CSP's Trusted Types rule makes the HTML sinks throw anyway.
 */

/** What an element can contain: nodes and text; null, undefined and false are skipped. */
export type Child = Node | string | number | null | undefined | false;

/** Properties of an element: attributes (never `style` or event-handler attributes), class, and listeners. */
export interface Props {
  readonly class?: string;
  readonly attrs?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly on?: { readonly [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

/**
 * Create an element with attributes, listeners and children.
 * @param tag - the element name
 * @param props - class, attributes and listeners
 * @param children - child nodes and text
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) {
    el.className = props.class;
  }
  for (const [name, value] of Object.entries(props.attrs ?? {})) {
    if (name === 'style' || name.toLowerCase().startsWith('on')) {
      throw new Error(`attribute ${name} is not allowed`);
    }
    if (value === true) {
      el.setAttribute(name, '');
    } else if (value !== undefined && value !== false) {
      el.setAttribute(name, String(value));
    }
  }
  for (const [type, listener] of Object.entries(props.on ?? {})) {
    el.addEventListener(type, listener as EventListener);
  }
  append(el, ...children);
  return el;
}

/**
 * Append children (text as text nodes).
 * @param parent - the parent node
 * @param children - nodes and text
 */
export function append(parent: Node, ...children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) {
      continue;
    }
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

/**
 * Replace all children of a node.
 * @param parent - the node
 * @param children - its new children
 */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) {
    parent.removeChild(parent.firstChild);
  }
  append(parent, ...children);
}
