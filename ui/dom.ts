/**
 * The explorer's few DOM helpers: build elements, tables and key/value lists, format amounts and
 * times. Everything shown is set as text, never as HTML, so chain data cannot inject markup.
 */

type Child = Node | string | number | bigint | null | undefined | false;

/** An element with attributes (`class`, `href`, `data-*`, ...) and children. */
export function h(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) element.setAttribute(key, value);
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** A link inside the explorer (`#/...`). */
export const link = (route: string, text: Child): HTMLElement => h('a', { href: `#/${route}` }, text);

/** A table with a header row; each row is a list of cells. */
export function table(headers: readonly string[], rows: readonly (readonly Child[])[], testId = ''): HTMLElement {
  return h(
    'table',
    testId ? { 'data-testid': testId } : {},
    h('thead', {}, h('tr', {}, ...headers.map((name) => h('th', {}, name)))),
    h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))),
  );
}

/** A definition list of label/value pairs. */
export function facts(pairs: ReadonlyArray<readonly [string, Child]>, testId = ''): HTMLElement {
  return h('dl', testId ? { 'data-testid': testId } : {}, ...pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)]));
}

/** A titled section. */
export const section = (title: string, ...children: Child[]): HTMLElement => h('section', {}, h('h2', {}, title), ...children);

/** Pretty-printed JSON in a <pre>. */
export const json = (value: unknown, testId = ''): HTMLElement =>
  h(
    'pre',
    testId ? { 'data-testid': testId } : {},
    JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2),
  );

/** Replaces the page's content. */
export function show(root: HTMLElement, ...children: Child[]): void {
  root.replaceChildren(
    ...children
      .filter((c): c is Node | string => c !== null && c !== undefined && c !== false)
      .map((c) => (c instanceof Node ? c : String(c))),
  );
}
