/**
 * A note's earlier texts, under the note editor (library and popup): the texts the note history keeps
 * (a note that lost a sync merge, a text a restore replaced), newest first, each with a button that
 * makes it the note again. Nothing here writes but the restore, which the background runs in one
 * transaction that first keeps the text being replaced.
 */
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { NoteVersion } from '@/lib/db/repository';
import type { Request, ResponseMap } from '@/lib/messaging/protocol';

/** Where the versions come from (the background, through `ask`; tests pass their own). */
export interface NoteVersionsSource {
  load(): Promise<NoteVersion[]>;
  restore(text: string): Promise<void>;
}

/** The versions of paper `id`'s note, asked of the background (the library and the popup alike). */
export function noteVersionsVia(ask: <T extends Request>(request: T) => Promise<ResponseMap[T['type']]>, id: string): NoteVersionsSource {
  return {
    load: async () => (await ask({ type: 'notes.versions', id })).versions,
    restore: async (text) => {
      await ask({ type: 'notes.restore', id, text });
    },
  };
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

function describe(v: NoteVersion): string {
  const why = v.reason === 'import' ? 'lost a sync merge' : 'replaced by a restore';
  return `Written ${when.format(v.writtenAt)} · ${why}`;
}

export function NoteVersions(props: {
  source: NoteVersionsSource;
  /** Save what the reader typed before a restore replaces it; false when that failed. */
  beforeRestore(): Promise<boolean>;
  /** The text that is now the note. */
  onRestored(text: string): void;
}) {
  const { source } = props;
  const [versions, setVersions] = useState<NoteVersion[] | null>(null);
  const [open, setOpen] = useState(false);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const listId = useId();

  // The latest source (pages build it inline on each render): read when the editor opens and after a
  // restore, not on every render or autosave while the reader types.
  const sourceRef = useRef(source);
  sourceRef.current = source;
  const load = useCallback(async () => {
    try {
      setVersions(await sourceRef.current.load());
    } catch {
      // The editor works without the list; a failed read only hides it.
      setVersions([]);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  if (!versions?.length) return null;

  const restore = async (v: NoteVersion) => {
    setBusy(true);
    try {
      if (!(await props.beforeRestore())) return;
      await sourceRef.current.restore(v.text);
      props.onRestored(v.text);
      setStatus('Restored. The text it replaced is kept in this list.');
      await load();
    } catch (err) {
      setStatus(err instanceof Error ? err.message : 'Could not restore that version.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="note-versions">
      <button type="button" aria-expanded={open} aria-controls={listId} onClick={() => setOpen(!open)}>
        {open ? 'Hide earlier versions' : `Earlier versions (${versions.length})`}
      </button>
      {open && (
        <ol id={listId} className="note-versions-list" aria-label="Earlier versions of this note">
          {versions.map((v) => (
            <li key={`${v.writtenAt}:${v.text}`}>
              <div className="muted note-version-meta">{describe(v)}</div>
              <p className="note-version-text">{v.text}</p>
              <button type="button" disabled={busy} aria-label={`Restore the version written ${when.format(v.writtenAt)}`} onClick={() => void restore(v)}>
                Restore
              </button>
            </li>
          ))}
        </ol>
      )}
      <span className="muted" role="status">
        {status}
      </span>
    </div>
  );
}
