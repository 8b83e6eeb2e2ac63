/**
 * The controls on one paper card: star, tag chips, add-tag with autocomplete, note editor and snippet.
 * Plain DOM in a shadow root (React would triple the content script's size); every piece of page or
 * reader data is set with textContent or attributes, never innerHTML.
 */
import type { AnnotationView } from '@/lib/model';
import { normalizeTag } from '@/lib/model';
import { CONTROLS_CSS } from './styles';

export interface ControlsActions {
  toggleStar(): Promise<void>;
  addTag(tag: string): Promise<void>;
  removeTag(tag: string): Promise<void>;
  saveNote(text: string): Promise<void>;
  /** Tags for autocomplete, most used and most recent first. */
  suggestTags(prefix: string): Promise<string[]>;
  tagColor(tag: string): string | undefined;
}

let sharedSheet: CSSStyleSheet | null | undefined;

/** One constructed stylesheet shared by every card's shadow root (cheap with 2,000 cards). */
function adoptStyles(shadow: ShadowRoot): void {
  if (sharedSheet === undefined) {
    try {
      sharedSheet = new CSSStyleSheet();
      sharedSheet.replaceSync(CONTROLS_CSS);
    } catch {
      sharedSheet = null;
    }
  }
  try {
    if (sharedSheet) {
      shadow.adoptedStyleSheets = [sharedSheet];
      return;
    }
  } catch {
    // Firefox content scripts cannot always adopt a sheet built in their own compartment.
  }
  const style = document.createElement('style');
  style.textContent = CONTROLS_CSS;
  shadow.append(style);
}

/** `node`, once `place` has put it where it goes. */
function placed<T extends Node>(node: T, place: (node: T) => void): T {
  place(node);
  return node;
}

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<Record<string, string>> = {},
  text?: string,
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) if (v !== undefined) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

/**
 * A button that is not a <button>. Measured on a 2,000-entry arXiv listing in Chromium: the frame after a
 * <button> goes into the page costs about 50 ms more than the same frame with a span (about 75 ms instead
 * of 25), and it happens again for every screen of controls that comes in as the reader scrolls. A span
 * with the button role, a tab stop, and Enter (on key down) and Space (on key up) doing what a click does
 * is the same control for keyboard and screen-reader users.
 */
function button(props: Partial<Record<string, string>>, text?: string): HTMLElement {
  const node = el('span', { role: 'button', tabindex: '0', ...props }, text);
  node.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    // The page must not scroll on Space or submit anything on Enter.
    e.preventDefault();
    e.stopPropagation();
    if (e.key === 'Enter' && !e.repeat) node.click();
  });
  node.addEventListener('keyup', (e) => {
    if (e.key !== ' ') return;
    e.preventDefault();
    e.stopPropagation();
    node.click();
  });
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';
/** A five-pointed star on a 24-unit grid. */
const STAR_PATH = 'M12 2.8l2.8 5.9 6.4.8-4.7 4.4 1.2 6.4L12 17.1l-5.7 3.2 1.2-6.4-4.7-4.4 6.4-.8z';

/**
 * The star as a drawing, not the ☆/★ characters: most text fonts lack them, and the frame that first
 * draws a character from a fallback font cost about 50 ms more on the 2,000-entry listing. The stylesheet
 * fills it when the button is pressed.
 */
function starIcon(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', STAR_PATH);
  svg.append(path);
  return svg;
}

/*
 * Writes that skip a value already there. A card's state is rendered again whenever its view arrives
 * (the page's first report, every change in another tab); rewriting the same text would still make the
 * browser lay the listing out again, and on a 2,000-entry listing that frame alone is a long task.
 */
function setText(node: Node, text: string): void {
  if (node.textContent !== text) node.textContent = text;
}

function setAttr(node: Element, name: string, value: string | null): void {
  if (value === null) {
    if (node.hasAttribute(name)) node.removeAttribute(name);
  } else if (node.getAttribute(name) !== value) node.setAttribute(name, value);
}

function setHidden(node: HTMLElement, hidden: boolean): void {
  if (node.hidden !== hidden) node.hidden = hidden;
}

const NOTE_AUTOSAVE_MS = 400;

export class CardControls {
  private hostEl: HTMLElement | null = null;
  // Built on first sight (see materialize): shadow roots only for the cards the reader comes near.
  private shadow!: ShadowRoot;
  private bar!: HTMLElement;
  private starBtn!: HTMLElement;
  private addBtn!: HTMLElement;
  private noteBtn!: HTMLElement;
  // Made the first time they have something to show (most cards never do): every element of a card's
  // controls is styled and laid out in the frame that brings the card's controls in.
  private chips: HTMLElement | null = null;
  private snippet: HTMLElement | null = null;
  private status: HTMLElement | null = null;
  private newBadge: HTMLElement | null = null;
  private built = false;
  private title = '';
  private isNew = false;
  private view: AnnotationView;
  private tagEditor: { input: HTMLInputElement; list: HTMLUListElement; wrap: HTMLElement } | null = null;
  private noteEditor: { textarea: HTMLTextAreaElement; wrap: HTMLElement; saved: HTMLElement } | null = null;
  private noteTimer: ReturnType<typeof setTimeout> | undefined;
  private pendingNote: string | null = null;

  constructor(
    /** The paper's title, read when the controls are first built (cards read their details lazily). */
    private readonly readTitle: () => string,
    view: AnnotationView,
    private readonly actions: ControlsActions,
  ) {
    this.view = view;
  }

  /**
   * The element that carries the shadow root, made when the card first comes near the viewport: a
   * 2,000-entry listing makes about twenty, not 2,000.
   */
  get host(): HTMLElement {
    if (!this.hostEl) {
      const host = (this.hostEl = document.createElement('span'));
      host.setAttribute('data-margins-ui', '');
      // Inline style beats a page's `* { all: unset }`; the rest of our CSS is inside the shadow root.
      // position/z-index: above overlays some sites stretch over a card (Bootstrap's stretched-link), so clicks reach us.
      // line-height 0 and negative block margins: the host counts as ~10 px in its line, so a one-row bar never
      // makes the card's line taller (which would move every card below it: on a 2,000-entry listing that
      // is a relayout and repaint of the whole page); a bar that wraps does grow the line, so nothing overlaps.
      host.setAttribute(
        'style',
        'all: initial; display: inline-block; position: relative; z-index: 2; line-height: 0; vertical-align: middle; margin-block: -4px;',
      );
    }
    return this.hostEl;
  }

  /** Take the controls out of the page (if they were ever put there). */
  detach(): void {
    this.hostEl?.remove();
  }

  get isInPage(): boolean {
    return !!this.hostEl?.isConnected;
  }

  get isBuilt(): boolean {
    return this.built;
  }

  /** Build the shadow root and the controls (once). Cheap to call again. */
  materialize(): void {
    if (this.built) return;
    this.built = true;
    const title = (this.title = this.readTitle());
    this.shadow = this.host.attachShadow({ mode: 'open' });
    adoptStyles(this.shadow);

    this.bar = el('span', { class: 'bar', role: 'group', 'aria-label': `Margins: ${title}` });
    this.starBtn = button({ class: 'star' });
    this.starBtn.append(starIcon());
    this.starBtn.addEventListener('click', () => this.run(() => this.actions.toggleStar()));
    this.addBtn = button({ class: 'add', 'aria-label': `Add a tag to ${title}` }, '+ tag');
    this.addBtn.addEventListener('click', () => this.openTagInput());
    this.noteBtn = button({ class: 'note-btn' });
    this.noteBtn.addEventListener('click', () => this.toggleNoteEditor());
    this.bar.append(this.starBtn, this.addBtn, this.noteBtn);
    this.shadow.append(this.bar);
    this.render();
  }

  update(view: AnnotationView): void {
    this.view = view;
    this.render();
  }

  setNew(isNew: boolean): void {
    this.isNew = isNew;
    if (this.built && (isNew || this.newBadge)) setHidden(this.badge(), !isNew);
  }

  private render(): void {
    if (!this.built) return;
    if (this.isNew || this.newBadge) setHidden(this.badge(), !this.isNew);
    const { starred, tags, note } = this.view;
    setAttr(this.starBtn, 'aria-pressed', String(starred));
    setAttr(this.starBtn, 'aria-label', `${starred ? 'Unstar' : 'Star'} ${this.title}`);
    setAttr(this.starBtn, 'title', starred ? 'Starred (s)' : 'Star (s)');

    if (tags.length || this.chips) this.renderChips(this.chipList(), tags);

    const hasNote = note.trim() !== '';
    setText(this.noteBtn, hasNote ? 'note' : '+ note');
    setAttr(this.noteBtn, 'data-has-note', hasNote ? '' : null);
    setAttr(this.noteBtn, 'aria-label', `${hasNote ? 'Edit the note on' : 'Add a note to'} ${this.title}`);
    setAttr(this.noteBtn, 'aria-expanded', String(!!this.noteEditor));
    if (hasNote || this.snippet) {
      const snippet = this.noteSnippet();
      setHidden(snippet, !hasNote || !!this.noteEditor);
      setText(snippet, hasNote ? note.replace(/\s+/g, ' ').slice(0, 140) : '');
      setAttr(snippet, 'title', note.slice(0, 1000));
    }
    // Someone else changed the note (another tab, the popup) while our editor is open and idle: follow.
    if (this.noteEditor && this.pendingNote === null && this.noteEditor.textarea.value !== note) {
      if (this.shadow.activeElement !== this.noteEditor.textarea) this.noteEditor.textarea.value = note;
    }
  }

  private renderChips(chips: HTMLElement, tags: string[]): void {
    const existing = new Map([...chips.children].map((c) => [c.getAttribute('data-tag')!, c as HTMLElement]));
    const wanted = tags.map((tag) => existing.get(tag) ?? this.makeChip(tag));
    for (const [tag, chip] of existing) if (!tags.includes(tag)) chip.remove();
    wanted.forEach((chip, i) => {
      const color = this.actions.tagColor(chip.getAttribute('data-tag')!);
      setAttr(chip, 'data-color', color ? '' : null);
      if (color && chip.style.getPropertyValue('--chip-color') !== color) chip.style.setProperty('--chip-color', color);
      if (chips.children[i] !== chip) chips.insertBefore(chip, chips.children[i] ?? null);
    });
  }

  /** The NEW badge, first in the bar. */
  private badge(): HTMLElement {
    return (this.newBadge ??= placed(el('span', { class: 'new-badge', title: 'New since your last visit', hidden: '' }, 'NEW'), (b) => this.bar.prepend(b)));
  }

  /** The tag chips, right after the star ("+ tag" may be out of the bar: its input takes its place while open). */
  private chipList(): HTMLElement {
    return (this.chips ??= placed(el('span', { class: 'chips' }), (c) => this.starBtn.after(c)));
  }

  /** The note's first words, after the note button. */
  private noteSnippet(): HTMLElement {
    return (this.snippet ??= placed(el('span', { class: 'snippet', hidden: '' }), (s) => {
      s.addEventListener('click', () => this.openNoteEditor());
      this.noteBtn.after(s);
    }));
  }

  /** Where a failed save says why, last in the bar (an alert: screen readers read it out). */
  private statusLine(): HTMLElement {
    return (this.status ??= placed(el('span', { class: 'error', role: 'alert' }), (s) => this.bar.append(s)));
  }

  private makeChip(tag: string): HTMLElement {
    const chip = el('span', { class: 'chip', 'data-tag': tag });
    const label = el('span', {}, tag);
    const remove = button({ 'aria-label': `Remove tag ${tag}`, title: `Remove tag ${tag}` }, '×');
    remove.addEventListener('click', () => this.run(() => this.actions.removeTag(tag)));
    chip.append(label, remove);
    return chip;
  }

  private async run(action: () => Promise<void>): Promise<boolean> {
    try {
      await action();
      if (this.status) this.status.textContent = '';
      return true;
    } catch (err) {
      this.statusLine().textContent = err instanceof Error ? err.message : 'Margins could not save that.';
      return false;
    }
  }

  toggleStarFromKeyboard(): Promise<boolean> {
    this.materialize();
    return this.run(() => this.actions.toggleStar());
  }

  /** Open the add-tag input with the caret in it (key `t`). */
  openTagInput(): void {
    this.materialize();
    if (this.tagEditor) {
      this.tagEditor.input.focus();
      return;
    }
    const wrap = el('span', { class: 'tag-wrap' });
    const listId = `m-sugg-${Math.random().toString(36).slice(2)}`;
    const input = el('input', {
      class: 'tag-input',
      type: 'text',
      'aria-label': `New tag for ${this.title}`,
      placeholder: 'tag, Enter to add',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': listId,
      autocomplete: 'off',
      spellcheck: 'false',
      maxlength: '64',
    });
    const list = el('ul', { class: 'suggestions popover', role: 'listbox', id: listId, hidden: '', 'aria-label': 'Tag suggestions' });
    wrap.append(input, list);
    this.addBtn.replaceWith(wrap);
    this.tagEditor = { input, list, wrap };
    let active = -1;
    const options = () => [...list.children] as HTMLElement[];
    const highlight = (i: number) => {
      const opts = options();
      active = opts.length ? (i + opts.length) % opts.length : -1;
      opts.forEach((o, j) => o.setAttribute('aria-selected', String(j === active)));
      if (active >= 0) input.setAttribute('aria-activedescendant', opts[active].id);
      else input.removeAttribute('aria-activedescendant');
    };
    const refresh = async () => {
      const typed = input.value;
      const suggestions = (await this.actions.suggestTags(normalizeTag(typed)).catch(() => [])).filter(
        (t) => !this.view.tags.includes(t),
      );
      if (input.value !== typed || !this.tagEditor) return;
      list.replaceChildren(
        ...suggestions.slice(0, 8).map((t, i) => {
          const li = el('li', { role: 'option', id: `${listId}-${i}`, 'aria-selected': 'false' }, t);
          li.addEventListener('mousedown', (e) => {
            e.preventDefault();
            void commit(t);
          });
          return li;
        }),
      );
      list.hidden = list.children.length === 0;
      input.setAttribute('aria-expanded', String(!list.hidden));
      active = -1;
    };
    const commit = async (value: string) => {
      const tag = normalizeTag(value);
      if (!tag) return;
      input.value = '';
      if (await this.run(() => this.actions.addTag(tag))) void refresh();
      else input.value = value; // keep what the reader typed
    };
    input.addEventListener('input', () => void refresh());
    input.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Enter') {
        e.preventDefault();
        const opts = options();
        void commit(active >= 0 && !list.hidden ? opts[active].textContent ?? '' : input.value);
      } else if (e.key === 'Escape') {
        e.preventDefault();
        this.closeTagInput(true);
      } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
        e.preventDefault();
        highlight(active + (e.key === 'ArrowDown' ? 1 : -1));
      } else if (e.key === 'Tab' && active >= 0 && !list.hidden) {
        e.preventDefault();
        input.value = options()[active].textContent ?? '';
      }
    });
    input.addEventListener('blur', () => {
      setTimeout(() => {
        if (this.tagEditor?.input === input && this.shadow.activeElement !== input && !input.value) this.closeTagInput(false);
      }, 150);
    });
    input.focus();
    void refresh();
  }

  closeTagInput(restoreFocus: boolean): void {
    if (!this.tagEditor) return;
    this.tagEditor.wrap.replaceWith(this.addBtn);
    this.tagEditor = null;
    if (restoreFocus) this.addBtn.focus();
  }

  private toggleNoteEditor(): void {
    if (this.noteEditor) void this.closeNoteEditor(true);
    else this.openNoteEditor();
  }

  /** Open the note editor with the caret at the end (key `n`). Autosaves; Esc closes and keeps the text. */
  openNoteEditor(): void {
    this.materialize();
    if (this.noteEditor) {
      this.noteEditor.textarea.focus();
      return;
    }
    const wrap = el('div', { class: 'popover editor', role: 'dialog', 'aria-label': `Note on ${this.title}` });
    const textarea = el('textarea', { 'aria-label': `Note on ${this.title}`, placeholder: 'Your private note…' });
    textarea.value = this.view.note;
    const saved = el('span', { 'aria-live': 'polite' });
    const footer = el('footer');
    const close = button({}, 'Done');
    footer.append(saved, close);
    wrap.append(textarea, footer);
    this.bar.append(wrap);
    this.noteEditor = { textarea, wrap, saved };
    textarea.addEventListener('input', () => this.scheduleNoteSave(textarea.value));
    textarea.addEventListener('keydown', (e) => {
      e.stopPropagation();
      if (e.key === 'Escape') {
        e.preventDefault();
        void this.closeNoteEditor(true);
      }
    });
    close.addEventListener('click', () => void this.closeNoteEditor(true));
    this.render();
    textarea.focus();
    textarea.setSelectionRange(textarea.value.length, textarea.value.length);
  }

  private scheduleNoteSave(text: string): void {
    this.pendingNote = text;
    if (this.noteEditor) this.noteEditor.saved.textContent = 'Saving…';
    clearTimeout(this.noteTimer);
    this.noteTimer = setTimeout(() => void this.flushNote(), NOTE_AUTOSAVE_MS);
  }

  private async flushNote(): Promise<void> {
    clearTimeout(this.noteTimer);
    const text = this.pendingNote;
    if (text === null) return;
    const ok = await this.run(() => this.actions.saveNote(text));
    if (ok && this.pendingNote === text) this.pendingNote = null;
    if (this.noteEditor) this.noteEditor.saved.textContent = ok ? 'Saved' : 'Not saved: your text is kept here';
  }

  async closeNoteEditor(restoreFocus: boolean): Promise<void> {
    if (!this.noteEditor) return;
    await this.flushNote();
    if (this.pendingNote !== null || !this.noteEditor) return; // a failed save keeps the editor (and the words) open
    this.noteEditor.wrap.remove();
    this.noteEditor = null;
    this.render();
    if (restoreFocus) this.noteBtn.focus();
  }

  /** True while the reader is typing in one of our inputs (page shortcuts must stay quiet). */
  isEditing(): boolean {
    return !!this.tagEditor || !!this.noteEditor;
  }
}
