import { useState } from 'react';
import { TagInput } from '@/components/PaperRow';

export interface BulkBarProps {
  selectedCount: number;
  matchingCount: number;
  allMatchingSelected: boolean;
  /** Tags carried by the selected papers (for "remove tag"). */
  selectedTags: string[];
  tagSuggestions: string[];
  onSelectAllMatching(): void;
  onClear(): void;
  onStar(starred: boolean): Promise<void>;
  onAddTag(tag: string): Promise<void>;
  onRemoveTag(tag: string): Promise<void>;
  onDelete(): Promise<void>;
}

const num = (n: number) => n.toLocaleString('en-US');

/** Actions on the selected papers. Every one of them can be undone. */
export function BulkBar(props: BulkBarProps) {
  const [adding, setAdding] = useState(false);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    try {
      await fn();
      setError('');
      return true;
    } catch (err) {
      setError(err instanceof Error ? err.message : 'That did not work.');
      return false;
    } finally {
      setBusy(false);
    }
  };
  const n = props.selectedCount;
  if (n === 0) {
    return (
      <div className="bulk-bar idle" role="toolbar" aria-label="Selection">
        <span className="muted">Select papers with their checkboxes (Shift-click for a range), or</span>
        <button type="button" disabled={props.matchingCount === 0} onClick={props.onSelectAllMatching}>
          Select all {num(props.matchingCount)}
        </button>
      </div>
    );
  }
  return (
    <div className="bulk-bar" role="toolbar" aria-label="Selected papers">
      <strong className="selected-count" aria-live="polite">
        {num(n)} selected
      </strong>
      {!props.allMatchingSelected && (
        <button type="button" onClick={props.onSelectAllMatching}>
          Select all {num(props.matchingCount)} matching
        </button>
      )}
      <button type="button" disabled={busy} onClick={() => void run(() => props.onStar(true))}>
        ★ Star
      </button>
      <button type="button" disabled={busy} onClick={() => void run(() => props.onStar(false))}>
        ☆ Unstar
      </button>
      {adding ? (
        <TagInput
          label="Tag to add to the selected papers"
          suggestions={props.tagSuggestions}
          onAdd={async (tag) => {
            const ok = await run(() => props.onAddTag(tag));
            if (ok) setAdding(false);
            return ok;
          }}
          onClose={() => setAdding(false)}
        />
      ) : (
        <button type="button" disabled={busy} onClick={() => setAdding(true)}>
          + Add tag
        </button>
      )}
      {props.selectedTags.length > 0 && (
        <select
          aria-label="Remove a tag from the selected papers"
          value=""
          disabled={busy}
          onChange={(e) => e.target.value && void run(() => props.onRemoveTag(e.target.value))}
        >
          <option value="">− Remove tag…</option>
          {props.selectedTags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      )}
      <button type="button" className="danger" disabled={busy} onClick={() => void run(props.onDelete)}>
        Remove from library
      </button>
      <button type="button" onClick={props.onClear}>
        Clear selection
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
