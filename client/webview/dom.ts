/**
 * The only way this panel builds elements. Text from the host (layer names,
 * messages) always goes through textContent, never through markup.
 */
type Child = Node | string | undefined | false;

export interface ElementProps {
  className?: string;
  text?: string;
  title?: string;
  attrs?: Record<string, string>;
}

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: ElementProps = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props.className) element.className = props.className;
  if (props.text !== undefined) element.textContent = props.text;
  if (props.title !== undefined) element.title = props.title;
  for (const [key, value] of Object.entries(props.attrs ?? {})) element.setAttribute(key, value);
  for (const child of children) {
    if (child === undefined || child === false) continue;
    element.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return element;
}

export function clear(element: Element): void {
  element.replaceChildren();
}

/** Numbers as they read best in a table: fixed for moderate values, exponent otherwise. */
export function formatNumber(value: number | undefined, digits = 3): string {
  if (value === undefined) return "–";
  if (!Number.isFinite(value)) return Number.isNaN(value) ? "NaN" : value > 0 ? "∞" : "−∞";
  const magnitude = Math.abs(value);
  if (magnitude !== 0 && (magnitude < 1e-3 || magnitude >= 1e5)) {
    return value.toExponential(digits - 1).replace(/\.?0+e/, "e");
  }
  const fixed = value.toPrecision(digits);
  return fixed.includes(".") && !fixed.includes("e") ? fixed.replace(/\.?0+$/, "") : fixed;
}
