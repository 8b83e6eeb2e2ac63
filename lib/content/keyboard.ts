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

/**
 * Installed on every supported page as it loads, used by few readers and later: only the constructor
 * runs at load (one listener), and the rest of the class is compiled on the first key. As closures
 * inside one install function, all of it was compiled on every page load (about 0.1 ms on Hugging Face).
 */
export class KeyboardTriage {
  private focused: MountedCard | null = null;
  private help: HTMLElement | null = null;

  constructor(
    private readonly page: MarginsPage,
    ctx: ContentScriptContext,
  ) {
    ctx.addEventListener(document, 'keydown', (event: KeyboardEvent) => this.onKey(event), { capture: true });
    ctx.onInvalidated(() => {
      this.focused?.card.root.removeAttribute('data-margins-focused');
      this.help?.remove();
    });
  }

  private onKey(event: KeyboardEvent): void {
    if (!this.page.shortcutsEnabled || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (isTyping(event)) return;
    const key = event.key;
    if (key === 'Escape' && this.help) {
      this.toggleHelp();
      return;
    }
    if (!['j', 'k', 's', 't', 'n', '?'].includes(key)) return;
    event.preventDefault();
    event.stopPropagation();
    if (key === 'j' || key === 'k') return this.move(key === 'j' ? 1 : -1);
    if (key === '?') return this.toggleHelp();
    if (this.focused && !this.focused.card.root.isConnected) this.focused = null;
    if (!this.focused) return this.move(1);
    const controls = this.page.show(this.focused);
    if (key === 's') void controls.toggleStarFromKeyboard();
    else if (key === 't') controls.openTagInput();
    else if (key === 'n') controls.openNoteEditor();
  }

  /** The cards the reader can see (a hiding mode or the site can hide some). */
  private cards(): MountedCard[] {
    return this.page.ordered.filter((m) => m.card.root.isConnected && (m.card.root as HTMLElement).offsetParent !== null);
  }

  private focus(m: MountedCard): void {
    this.focused?.card.root.removeAttribute('data-margins-focused');
    this.focused = m;
    this.page.showFocusOutline();
    m.card.root.setAttribute('data-margins-focused', '');
    this.page.show(m);
    m.card.root.scrollIntoView({ block: 'nearest', behavior: 'auto' });
  }

  private move(delta: 1 | -1): void {
    const list = this.cards();
    if (!list.length) return;
    const i = this.focused ? list.indexOf(this.focused) : -1;
    const next = i < 0 ? (delta === 1 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + delta));
    this.focus(list[next]);
  }

  private toggleHelp(): void {
    if (this.help) {
      this.help.remove();
      this.help = null;
      return;
    }
    const help = (this.help = document.createElement('div'));
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
  }
}
