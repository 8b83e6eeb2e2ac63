import { memo } from 'react';
import type { NoteVersionsSource } from '@/components/NoteVersions';
import { NoteEditor, TagInput, useSaveAction } from '@/components/PaperRow';
import { siteName } from '@/components/PopupParts';
import { TagChip } from '@/components/TagChip';
import { LINK_LABELS, type LibraryItem, primaryLink } from '@/lib/library/query';

export type RowEditor = 'tag' | 'note' | null;

export interface LibraryRowProps {
  item: LibraryItem;
  index: number;
  selected: boolean;
  active: boolean;
  editor: RowEditor;
  tagColors: Record<string, string | undefined>;
  tagSuggestions: string[];
  onEditorChange(id: string, editor: RowEditor): void;
  onToggleSelect(id: string, index: number, shiftKey: boolean): void;
  onStar(item: LibraryItem): Promise<void>;
  onAddTag(item: LibraryItem, tag: string): Promise<void>;
  onRemoveTag(item: LibraryItem, tag: string): Promise<void>;
  onSaveNote(item: LibraryItem, note: string): Promise<void>;
  /** The earlier texts of a paper's note (see NoteVersions). */
  noteVersions?(item: LibraryItem): NoteVersionsSource;
  onDelete(item: LibraryItem): Promise<void>;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
export const formatDate = (t: number) => (t > 0 ? dateFormat.format(t) : '—');

const NOTE_SNIPPET_CHARS = 280;
const AUTHORS_SHOWN = 8;

/** One paper of the library: select, star, title and links, authors, tags, note, dates. No database access. */
export const LibraryRow = memo(function LibraryRow(props: LibraryRowProps) {
  const { item, editor, tagColors } = props;
  const [error, run] = useSaveAction();
  const label = item.title || item.id;
  const href = primaryLink(item);
  const links = LINK_LABELS.filter(([k]) => item.links[k] && item.links[k] !== href);
  const setEditor = (e: RowEditor) => props.onEditorChange(item.id, e);
  return (
    <div
      className="lib-row"
      role="listitem"
      data-paper-id={item.id}
      data-selected={props.selected || undefined}
      data-active={props.active || undefined}
      data-starred={item.starred || undefined}
    >
      <input
        type="checkbox"
        className="row-select"
        aria-label={`Select ${label}`}
        checked={props.selected}
        // Shift-click selects the range from the last clicked row: read the key on click.
        onClick={(e) => {
          e.preventDefault();
          props.onToggleSelect(item.id, props.index, e.shiftKey);
        }}
        onChange={() => undefined}
      />
      <button
        type="button"
        className="star-btn"
        aria-pressed={item.starred}
        aria-label={`${item.starred ? 'Unstar' : 'Star'} ${label}`}
        title={item.starred ? 'Starred' : 'Star'}
        onClick={() => void run(() => props.onStar(item))}
      >
        {item.starred ? '★' : '☆'}
      </button>
      <div className="row-main">
        <div className="row-title">
          {href ? (
            <a href={href} target="_blank" rel="noreferrer noopener">
              {item.title || item.id}
            </a>
          ) : (
            <span>{item.title || item.id}</span>
          )}
        </div>
        <div className="row-sub muted">
          {item.authors.length > 0 && (
            <span className="row-authors">
              {item.authors.slice(0, AUTHORS_SHOWN).join(', ') + (item.authors.length > AUTHORS_SHOWN ? `, +${item.authors.length - AUTHORS_SHOWN}` : '')}
            </span>
          )}
        </div>
        <div className="row-tags">
          {item.tags.map((tag) => (
            <TagChip key={tag} tag={tag} color={tagColors[tag]} onRemove={() => void run(() => props.onRemoveTag(item, tag))} />
          ))}
          {editor === 'tag' ? (
            <TagInput
              label={`New tag for ${label}`}
              suggestions={props.tagSuggestions.filter((t) => !item.tags.includes(t))}
              onAdd={(tag) => run(() => props.onAddTag(item, tag))}
              onClose={() => setEditor(null)}
            />
          ) : (
            <button type="button" className="add-tag" aria-label={`Add a tag to ${label}`} onClick={() => setEditor('tag')}>
              + tag
            </button>
          )}
          <button
            type="button"
            className="note-toggle"
            aria-expanded={editor === 'note'}
            aria-label={`${item.note ? 'Edit the note on' : 'Add a note to'} ${label}`}
            onClick={() => setEditor(editor === 'note' ? null : 'note')}
          >
            {item.note ? '✎ note' : '+ note'}
          </button>
          {(links.length > 0 || item.category) && (
            <span className="row-links">
              {item.category && (
                <span className="row-category" title="arXiv primary category">
                  {item.category}
                </span>
              )}
              {links.map(([k, text]) => (
                <a key={k} href={item.links[k]} target="_blank" rel="noreferrer noopener">
                  {text}
                </a>
              ))}
            </span>
          )}
          <button type="button" className="row-delete" aria-label={`Remove ${label} from the library`} title="Remove from the library" onClick={() => void run(() => props.onDelete(item))}>
            Remove
          </button>
        </div>
        {editor === 'note' ? (
          <NoteEditor
            label={`Note on ${label}`}
            note={item.note}
            onSave={(t) => run(() => props.onSaveNote(item, t))}
            onClose={() => setEditor(null)}
            versions={props.noteVersions?.(item)}
          />
        ) : (
          item.note && (
            <div className="row-note" title={item.note.length > NOTE_SNIPPET_CHARS ? item.note : undefined}>
              {item.note.length > NOTE_SNIPPET_CHARS ? item.note.slice(0, NOTE_SNIPPET_CHARS) + '…' : item.note}
            </div>
          )
        )}
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
      </div>
      <div className="row-meta muted">
        {item.site && <span className="row-site">{siteName(item.site)}</span>}
        <span title="Added to the library">added {formatDate(item.addedAt)}</span>
        <span title="Last changed">updated {formatDate(item.updatedAt)}</span>
      </div>
    </div>
  );
});
