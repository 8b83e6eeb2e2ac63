/**
 * Keyboard triage on listing pages: j/k move a visible focus between cards, s stars, t tags, n opens
 * the note, ? shows the keys. Keys never fire while the reader types (in the page's inputs or ours),
 * with a modifier held, or when the setting is off.
 */
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { CONTROLS_CSS, darkBehind } from './styles';
import type { MarginsPage, MountedCard } from './runtime';

export const SHORTCUTS: [key: string, what: string][] = [
  ['j', 'Next paper'],
  ['k', 'Previous paper'],
  ['s', 'Star or unstar'],
  ['t', 'Add a tag'],
  ['n', 'Open the note'],
  ['?', 'Show or hide these keys'],
  ['Esc', 'Close the tag input, note or this help'],
];

function isTyping(event: KeyboardEvent): boolean {
  for (const target of event.composedPath()) {
    if (!(target instanceof Element)) continue;
    const tag = target.tagName;
    if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (target as HTMLElement).isContentEditable) return true;
  }
  return false;
}

export function installKeyboard(page: MarginsPage, ctx: ContentScriptContext): void {
  let focused: MountedCard | null = null;
  let help: HTMLElement | null = null;

  const cards = () => page.ordered.filter((m) => m.card.root.isConnected && (m.card.root as HTMLElement).offsetParent !== null);

  const focus = (m: MountedCard) => {
    focused?.card.root.removeAttribute('data-margins-focused');
    focused = m;
    page.showFocusOutline();
    m.card.root.setAttribute('data-margins-focused', '');
    page.show(m);
    m.card.root.scrollIntoView({ block: 'nearest', behavior: 'auto' });
  };

  const move = (delta: 1 | -1) => {
    const list = cards();
    if (!list.length) return;
    const i = focused ? list.indexOf(focused) : -1;
    const next = i < 0 ? (delta === 1 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + delta));
    focus(list[next]);
  };

  const toggleHelp = () => {
    if (help) {
      help.remove();
      help = null;
      return;
    }
    help = document.createElement('div');
    help.setAttribute('data-margins-ui', '');
    help.setAttribute('style', 'all: initial;');
    help.setAttribute('data-scheme', darkBehind(document.body) ? 'dark' : 'light');
    const shadow = help.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = CONTROLS_CSS;
    const box = document.createElement('div');
    box.className = 'popover help';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', 'Margins keyboard shortcuts');
    const heading = document.createElement('strong');
    heading.textContent = 'Margins keys';
    const table = document.createElement('table');
    for (const [key, what] of SHORTCUTS) {
      const row = table.insertRow();
      const kbd = document.createElement('kbd');
      kbd.textContent = key;
      row.insertCell().append(kbd);
      row.insertCell().textContent = what;
    }
    box.append(heading, table);
    shadow.append(style, box);
    document.body.append(help);
  };

  ctx.addEventListener(
    document,
    'keydown',
    (event: KeyboardEvent) => {
      if (!page.shortcutsEnabled || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event)) return;
      const key = event.key;
      if (key === 'Escape' && help) {
        toggleHelp();
        return;
      }
      if (!['j', 'k', 's', 't', 'n', '?'].includes(key)) return;
      event.preventDefault();
      event.stopPropagation();
      if (key === 'j' || key === 'k') return move(key === 'j' ? 1 : -1);
      if (key === '?') return toggleHelp();
      if (focused && !focused.card.root.isConnected) focused = null;
      if (!focused) return move(1);
      const controls = page.show(focused);
      if (key === 's') void controls.toggleStarFromKeyboard();
      else if (key === 't') controls.openTagInput();
      else if (key === 'n') controls.openNoteEditor();
    },
    { capture: true },
  );
  ctx.onInvalidated(() => {
    focused?.card.root.removeAttribute('data-margins-focused');
    help?.remove();
  });
}
