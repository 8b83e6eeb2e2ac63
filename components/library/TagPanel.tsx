import { type CSSProperties, memo, useState } from 'react';
import { normalizeTag } from '@/lib/model';

export interface TagCount {
  name: string;
  count: number;
  color?: string;
}

export interface TagPanelProps {
  tags: TagCount[];
  selected: string[];
  mode: 'all' | 'any';
  onToggle(tag: string): void;
  onModeChange(mode: 'all' | 'any'): void;
  onRename(from: string, to: string): Promise<void>;
  onMerge(from: string, into: string): Promise<void>;
  onDelete(tag: string): Promise<void>;
  onColor(tag: string, color: string | null): Promise<void>;
}

/** Colours a reader can give a tag: readable as a border on light and dark backgrounds. */
export const TAG_COLORS = ['#d1242f', '#e16f24', '#bf8700', '#2da44e', '#0969da', '#8250df', '#bf3989', '#57606a'];

const num = (n: number) => n.toLocaleString('en-US');

/** Every tag with its count: click to filter; a menu per tag to rename, merge, colour or delete it. */
export const TagPanel = memo(function TagPanel(props: TagPanelProps) {
  const [managing, setManaging] = useState<string | null>(null);
  const [find, setFind] = useState('');
  const needle = normalizeTag(find);
  const shown = needle ? props.tags.filter((t) => t.name.includes(needle)) : props.tags;
  return (
    <section className="panel tags" aria-labelledby="tags-heading">
      <div className="panel-head">
        <h2 id="tags-heading">Tags</h2>
        <span className="muted">{num(props.tags.length)}</span>
      </div>
      <div className="tag-tools">
        <input type="search" aria-label="Find a tag" placeholder="Find a tag" value={find} onChange={(e) => setFind(e.target.value)} />
        {props.selected.length > 1 && (
          <label className="field inline">
            <span>Papers with</span>
            <select aria-label="Match the selected tags" value={props.mode} onChange={(e) => props.onModeChange(e.target.value as 'all' | 'any')}>
              <option value="all">all of them</option>
              <option value="any">any of them</option>
            </select>
          </label>
        )}
      </div>
      {props.tags.length === 0 && <p className="muted">No tags yet. Add one to any paper with “+ tag”.</p>}
      <ul className="tag-list">
        {shown.map((t) => {
          const on = props.selected.includes(t.name);
          const style = t.color ? ({ '--chip-color': t.color } as CSSProperties) : undefined;
          return (
            <li key={t.name} data-tag={t.name}>
              <div className="tag-line">
                <button
                  type="button"
                  className="tag-filter"
                  aria-pressed={on}
                  aria-label={`${on ? 'Stop filtering by' : 'Filter by'} tag ${t.name} (${t.count} papers)`}
                  onClick={() => props.onToggle(t.name)}
                >
                  <span className="chip" data-color={t.color ? '' : undefined} style={style}>
                    <span>{t.name}</span>
                  </span>
                  <span className="tag-count muted">{num(t.count)}</span>
                </button>
                <button
                  type="button"
                  className="tag-menu-btn"
                  aria-expanded={managing === t.name}
                  aria-label={`Manage tag ${t.name}`}
                  title="Rename, merge, colour or delete"
                  onClick={() => setManaging(managing === t.name ? null : t.name)}
                >
                  ⋯
                </button>
              </div>
              {managing === t.name && (
                <TagManager tag={t} others={props.tags.filter((o) => o.name !== t.name)} {...props} onDone={() => setManaging(null)} />
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
});

function TagManager(props: TagPanelProps & { tag: TagCount; others: TagCount[]; onDone(): void }) {
  const { tag } = props;
  const [name, setName] = useState(tag.name);
  const [into, setInto] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>, close = true) => {
    setBusy(true);
    try {
      await fn();
      setError('');
      if (close) props.onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work.');
    } finally {
      setBusy(false);
    }
  };
  const target = normalizeTag(name);
  const mergeTarget = normalizeTag(into);
  const listId = `merge-${tag.name}`;
  return (
    <div className="tag-manager" role="group" aria-label={`Manage tag ${tag.name}`}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (target && target !== tag.name) void run(() => props.onRename(tag.name, target));
        }}
      >
        <label>
          <span>Rename to</span>
          <input aria-label={`New name for tag ${tag.name}`} value={name} maxLength={64} onChange={(e) => setName(e.target.value)} autoFocus />
        </label>
        <button type="submit" disabled={busy || !target || target === tag.name}>
          Rename
        </button>
      </form>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (mergeTarget && mergeTarget !== tag.name) void run(() => props.onMerge(tag.name, mergeTarget));
        }}
      >
        <label>
          <span>Merge into</span>
          <input
            aria-label={`Merge tag ${tag.name} into`}
            list={listId}
            placeholder="another tag"
            value={into}
            maxLength={64}
            onChange={(e) => setInto(e.target.value)}
          />
        </label>
        <datalist id={listId}>
          {props.others.slice(0, 300).map((o) => (
            <option key={o.name} value={o.name} />
          ))}
        </datalist>
        <button type="submit" disabled={busy || !mergeTarget || mergeTarget === tag.name}>
          Merge
        </button>
      </form>
      <div className="swatches" role="group" aria-label={`Colour of tag ${tag.name}`}>
        {TAG_COLORS.map((c) => (
          <button
            key={c}
            type="button"
            className="swatch"
            style={{ background: c }}
            aria-label={`Colour ${c}`}
            aria-pressed={tag.color === c}
            onClick={() => void run(() => props.onColor(tag.name, c), false)}
          />
        ))}
        <button type="button" className="swatch none" aria-label="No colour" aria-pressed={!tag.color} onClick={() => void run(() => props.onColor(tag.name, null), false)}>
          ∅
        </button>
      </div>
      <div className="manager-foot">
        <button type="button" className="danger" disabled={busy} onClick={() => void run(() => props.onDelete(tag.name))}>
          Delete tag from {num(tag.count)} {tag.count === 1 ? 'paper' : 'papers'}
        </button>
        <button type="button" onClick={props.onDone}>
          Close
        </button>
      </div>
      {error && (
        <div className="error" role="alert">
          {error}
        </div>
      )}
    </div>
  );
}
