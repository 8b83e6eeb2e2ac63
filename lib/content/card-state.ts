/**
 * The state attributes a card root carries, so user styles and tests can see it:
 *   data-margins-id, data-margins-starred, data-margins-tags (space-separated), data-margins-note,
 *   data-margins-seen ("new" the first time a listing shows the paper, "seen" after).
 */
import type { AnnotationView } from '@/lib/model';

export function markCardRoot(root: Element, id: string): void {
  if (root.getAttribute('data-margins-id') !== id) root.setAttribute('data-margins-id', id);
}

function toggleAttr(el: Element, name: string, value: string | null): void {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) {
    el.setAttribute(name, value);
  }
}

export function applyStateAttributes(root: Element, view: AnnotationView): void {
  toggleAttr(root, 'data-margins-starred', view.starred ? '' : null);
  toggleAttr(root, 'data-margins-tags', view.tags.length ? view.tags.join(' ') : null);
  toggleAttr(root, 'data-margins-note', view.note ? '' : null);
}

export function applySeenAttribute(root: Element, seen: 'new' | 'seen' | null): void {
  toggleAttr(root, 'data-margins-seen', seen);
}

export function clearCardRoot(root: Element): void {
  for (const name of ['data-margins-id', 'data-margins-starred', 'data-margins-tags', 'data-margins-note', 'data-margins-seen']) {
    root.removeAttribute(name);
  }
}
