// Tiny helpers for building the page's HTML from data: everything interpolated is escaped.
import morphdom from "morphdom";

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ESCAPES[c]);
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
