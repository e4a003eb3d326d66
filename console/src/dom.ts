// Tiny helpers for building the page's HTML from data: everything interpolated is escaped.
import morphdom from "morphdom";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/**
 * Escapes for HTML, and shows no raw control character, bidi override/isolate (which would reorder
 * the text around it, e.g. disguise an email's domain) or lone surrogate: the schemas refuse them in
 * what nodes and clients send; this holds for anything that reached Firestore another way.
 */
export function esc(value: unknown): string {
  return (
    String(value ?? "")
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, " ")
      .replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "\ufffd")
      .replace(/[&<>"']/g, (c) => ESCAPES[c])
  );
}

export function $(selector: string, root: ParentNode = document): HTMLElement {
  const el = root.querySelector<HTMLElement>(selector);
  if (!el) throw new Error(`missing element ${selector}`);
  return el;
}

/** Coalesces many data events into one render per animation frame. */
export function scheduler(render: () => void): () => void {
  let queued = false;
  return () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => {
      queued = false;
      render();
    });
  };
}

/** The key a live row keeps across renders: its request id or its node's hotkey. */
function rowKey(node: Node): string | undefined {
  if (!(node instanceof HTMLElement)) return undefined;
  return node.dataset.requestId ?? node.dataset.hotkey ?? (node.id || undefined);
}

/**
 * Puts `html` into `el` by updating the elements already there rather than replacing them. The
 * tables re-render every second; replaced rows would drop keyboard focus, and a click whose press
 * and release straddle a render would be lost (the press's target is gone by the release).
 */
export function patch(el: HTMLElement, html: string): void {
  morphdom(el, `<div>${html}</div>`, { childrenOnly: true, getNodeKey: rowKey });
}
