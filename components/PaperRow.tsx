import { useEffect, useId, useRef, useState } from 'react';
import type { AnnotationView } from '@/lib/model';
import { normalizeTag } from '@/lib/model';
import { type NoteVersionsSource, NoteVersions } from './NoteVersions';
import { TagChip } from './TagChip';

export interface PaperRowProps {
  title: string;
  authors: string[];
  href?: string;
  view: AnnotationView;
  isNew?: boolean;
  active?: boolean;
  tagColors: Record<string, string | undefined>;
  tagSuggestions: string[];
  /** Which inline editor to open (driven by the keyboard in the popup). */
  open?: 'tag' | 'note' | null;
  onOpenChange?(open: 'tag' | 'note' | null): void;
  onStar(): Promise<void>;
  onAddTag(tag: string): Promise<void>;
  onRemoveTag(tag: string): Promise<void>;
  onSaveNote(note: string): Promise<void>;
  /** The note's earlier texts (see NoteVersions). */
  noteVersions?: NoteVersionsSource;
}

const NOTE_AUTOSAVE_MS = 400;

/**
 * Run a write the reader asked for; remember its error message (shown in the row) until the next one works.
 * Resolves to whether it worked, so an input can keep what the reader typed when it did not.
 */
export function useSaveAction(): [error: string, run: (fn: () => Promise<void>) => Promise<boolean>] {
  const [error, setError] = useState('');
  const run = async (fn: () => Promise<void>) => {
    try {
      await fn();
      setError('');
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : 'Could not save.');
      return false;
    }
  };
  return [error, run];
}

/** One paper with its star, tags and note, all editable in place. Presentational: no database access. */
export function PaperRow(props: PaperRowProps) {
  const { title, authors, href, view, isNew, active, tagColors, open = null, onOpenChange } = props;
  const [error, run] = useSaveAction();
  const label = title || 'this paper';
  return (
    <li className="paper-row" data-active={active || undefined} data-paper-id={view.id} aria-current={active || undefined}>
      <button
        type="button"
        className="star-btn"
        aria-pressed={view.starred}
        aria-label={`${view.starred ? 'Unstar' : 'Star'} ${label}`}
        title={view.starred ? 'Starred (s)' : 'Star (s)'}
        onClick={() => void run(props.onStar)}
      >
        {view.starred ? '★' : '☆'}
      </button>
      <div className="paper-main">
        <div className="paper-title">
          {isNew && <span className="new-badge">NEW</span>}
          {isNew && ' '}
          {href ? (
            <a href={href} target="_blank" rel="noreferrer noopener">
              {title || view.id}
            </a>
          ) : (
            <span>{title || view.id}</span>
          )}
        </div>
        {authors.length > 0 && <div className="paper-authors muted">{authors.slice(0, 6).join(', ') + (authors.length > 6 ? ', …' : '')}</div>}
        <div className="paper-tags">
          {view.tags.map((tag) => (
            <TagChip key={tag} tag={tag} color={tagColors[tag]} onRemove={() => void run(() => props.onRemoveTag(tag))} />
          ))}
          {open === 'tag' ? (
            <TagInput
              label={`New tag for ${label}`}
              suggestions={props.tagSuggestions.filter((t) => !view.tags.includes(t))}
              onAdd={(tag) => run(() => props.onAddTag(tag))}
              onClose={() => onOpenChange?.(null)}
            />
          ) : (
            <button type="button" className="add-tag" aria-label={`Add a tag to ${label}`} onClick={() => onOpenChange?.('tag')}>
              + tag
            </button>
          )}
          <button
            type="button"
            className="note-toggle"
            aria-expanded={open === 'note'}
            aria-label={`${view.note ? 'Edit the note on' : 'Add a note to'} ${label}`}
            onClick={() => onOpenChange?.(open === 'note' ? null : 'note')}
          >
            {view.note ? '✎ note' : '+ note'}
          </button>
        </div>
        {open === 'note' ? (
          <NoteEditor
            label={`Note on ${label}`}
            note={view.note}
            onSave={(t) => run(() => props.onSaveNote(t))}
            onClose={() => onOpenChange?.(null)}
            versions={props.noteVersions}
          />
        ) : (
          view.note && <div className="paper-note muted">{view.note.length > 200 ? view.note.slice(0, 200) + '…' : view.note}</div>
        )}
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
      </div>
    </li>
  );
}

export function TagInput(props: { label: string; suggestions: string[]; onAdd(tag: string): Promise<boolean>; onClose(): void }) {
  const [value, setValue] = useState('');
  const [active, setActive] = useState(-1);
  const listId = useId();
  const typed = normalizeTag(value);
  const matches = props.suggestions.filter((t) => !typed || t.startsWith(typed) || (typed.length > 1 && t.includes(typed))).slice(0, 8);
  const commit = async (raw: string) => {
    const tag = normalizeTag(raw);
    if (!tag) return;
    setValue('');
    setActive(-1);
    if (!(await props.onAdd(tag))) setValue(raw); // keep what the reader typed
  };
  return (
    <span className="tag-input-wrap">
      <input
        autoFocus
        className="tag-input"
        role="combobox"
        aria-label={props.label}
        aria-expanded={matches.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? `${listId}-${active}` : undefined}
        placeholder="tag, Enter to add"
        maxLength={64}
        value={value}
        onChange={(e) => {
          setValue(e.target.value);
          setActive(-1);
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Enter') {
            e.preventDefault();
            void commit(active >= 0 ? matches[active] : value);
          } else if (e.key === 'Escape') {
            e.preventDefault();
            props.onClose();
          } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            if (matches.length) setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : -1) + matches.length) % matches.length);
          }
        }}
        onBlur={() => !value && props.onClose()}
      />
      {matches.length > 0 && (
        <ul className="suggestions" role="listbox" id={listId} aria-label="Tag suggestions">
          {matches.map((t, i) => (
            <li
              key={t}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                void commit(t);
              }}
            >
              {t}
            </li>
          ))}
        </ul>
      )}
    </span>
  );
}

export function NoteEditor(props: {
  label: string;
  note: string;
  onSave(text: string): Promise<boolean>;
  onClose(): void;
  /** The note's earlier texts, to show and restore (when the page can ask for them). */
  versions?: NoteVersionsSource;
}) {
  const [text, setText] = useState(props.note);
  const [status, setStatus] = useState('');
  const pending = useRef<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const ref = useRef<HTMLTextAreaElement>(null);
  const save = useRef(props.onSave);
  save.current = props.onSave;
  useEffect(() => {
    const el = ref.current;
    if (el) {
      el.focus();
      el.setSelectionRange(el.value.length, el.value.length);
    }
    return () => {
      // Closed before the autosave fired (a list scrolled the row away, the popup closed): save now.
      clearTimeout(timer.current);
      if (pending.current !== null) void save.current(pending.current);
    };
  }, []);
  // Follow changes made elsewhere while the reader is not typing here.
  useEffect(() => {
    if (pending.current === null) setText(props.note);
  }, [props.note]);
  const flush = async () => {
    clearTimeout(timer.current);
    const value = pending.current;
    if (value === null) return true;
    const ok = await props.onSave(value);
    if (ok && pending.current === value) pending.current = null;
    setStatus(ok ? 'Saved' : 'Not saved: your text is kept here');
    return ok;
  };
  const close = async () => {
    if (await flush()) props.onClose();
  };
  return (
    <div className="note-editor">
      <textarea
        ref={ref}
        aria-label={props.label}
        placeholder="Your private note…"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          pending.current = e.target.value;
          setStatus('Saving…');
          clearTimeout(timer.current);
          timer.current = setTimeout(() => void flush(), NOTE_AUTOSAVE_MS);
        }}
        onKeyDown={(e) => {
          e.stopPropagation();
          if (e.key === 'Escape') {
            e.preventDefault();
            void close();
          }
        }}
      />
      <div className="note-footer">
        <span className="muted" aria-live="polite">
          {status}
        </span>
        <button type="button" onClick={() => void close()}>
          Done
        </button>
      </div>
      {props.versions && (
        <NoteVersions
          source={props.versions}
          beforeRestore={flush}
          onRestored={(restored) => {
            pending.current = null;
            setText(restored);
            setStatus('');
          }}
        />
      )}
    </div>
  );
}
