import type { Conflict, FileHeader, ImportSummary } from '@/lib/sync/import';

const num = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

function fieldName(c: Conflict): string {
  if (c.field === 'star') return 'Star';
  if (c.field === 'note') return 'Note';
  return `Tag “${c.field.slice(4)}”`;
}

function clip(text: string, max = 80): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one || '(empty)';
}

function scopeOf(file: FileHeader): string {
  if (file.filter.kind === 'starred') return 'the starred papers of';
  if (file.filter.kind === 'tag') return `the papers tagged “${file.filter.tag}” in the library of`;
  return 'the whole library of';
}

export interface ImportPreviewProps {
  fileName: string;
  /** What the file says about itself (device, date, filter). */
  file: FileHeader;
  summary: ImportSummary;
  /** Settings in the file that differ from this device's, by name ([] when none or none carried). */
  settingsDiffer: string[];
  useSettings: boolean;
  onUseSettings(value: boolean): void;
  busy: boolean;
  onConfirm(): void;
  onCancel(): void;
}

/** What an import will do, before it does it. Presentational. */
export function ImportPreview(props: ImportPreviewProps) {
  const { file, summary: s } = props;
  const exported = new Date(file.exportedAt);
  return (
    <section className="import-preview" aria-labelledby="import-preview-heading">
      <h3 id="import-preview-heading">Import “{props.fileName}”?</h3>
      <p className="muted">
        This file holds {scopeOf(file)} device <code>{file.device}</code>, exported {exported.toLocaleString()}: {plural(s.papersInFile, 'paper')}.
      </p>
      {s.unchanged ? (
        <p data-testid="import-nothing">Nothing to do: this library already has everything in the file.</p>
      ) : (
        <dl className="import-counts" data-testid="import-counts">
          <div>
            <dt>Papers added</dt>
            <dd data-count="papersAdded">{num(s.papersAdded)}</dd>
          </div>
          <div>
            <dt>Papers updated</dt>
            <dd data-count="papersUpdated">{num(s.papersUpdated)}</dd>
          </div>
          <div>
            <dt>Changes you will see</dt>
            <dd data-count="fieldsChanged">
              {num(s.fieldsChanged)}
              <span className="muted">
                {' '}
                ({plural(s.starsChanged, 'star')}, {plural(s.tagsAdded, 'tag')} added, {plural(s.tagsRemoved, 'tag')} removed, {plural(s.notesChanged, 'note')})
              </span>
            </dd>
          </div>
          <div>
            <dt>Conflicts</dt>
            <dd data-count="conflicts">
              {num(s.conflicts)}
              {s.conflicts > 0 && (
                <span className="muted">
                  {' '}
                  (the file wins {num(s.conflictsFileWins)}, yours win {num(s.conflictsLocalWins)}: the newer change wins)
                </span>
              )}
            </dd>
          </div>
          <div>
            <dt>New tags</dt>
            <dd data-count="tagsCreated">{s.tagsCreated.length ? s.tagsCreated.join(', ') : 'none'}</dd>
          </div>
          {s.notesKept > 0 && (
            <div>
              <dt>Notes kept in history</dt>
              <dd data-count="notesKept">{num(s.notesKept)} (the older text of a note changed on both devices: nothing is lost; it is under the note, in “Earlier versions”)</dd>
            </div>
          )}
          {(s.metadataUpdated > 0 || s.tagColorsChanged > 0) && (
            <div>
              <dt>Also</dt>
              <dd>
                {plural(s.metadataUpdated, 'paper')} with fuller details, {plural(s.tagColorsChanged, 'tag colour')}
              </dd>
            </div>
          )}
        </dl>
      )}
      {s.futureClock && (
        <p className="warning" role="note">
          Some changes in this file are dated {new Date(s.latestClock).toLocaleString()}, in the future: the other device’s clock is probably wrong. They
          will win over your edits made before then.
        </p>
      )}
      {s.conflictList.length > 0 && (
        <details className="conflicts" open={s.conflicts <= 10}>
          <summary>
            {s.conflicts > s.conflictList.length ? `The first ${num(s.conflictList.length)} of ${num(s.conflicts)} conflicts` : `The ${plural(s.conflicts, 'conflict')}`}
          </summary>
          <table>
            <thead>
              <tr>
                <th scope="col">Paper</th>
                <th scope="col">Field</th>
                <th scope="col">Yours</th>
                <th scope="col">In the file</th>
                <th scope="col">Kept</th>
              </tr>
            </thead>
            <tbody>
              {s.conflictList.map((c) => (
                <tr key={`${c.id}|${c.field}`} data-conflict={c.field}>
                  <td title={c.id}>{clip(c.title, 60)}</td>
                  <td>{fieldName(c)}</td>
                  <td>{clip(c.local)}</td>
                  <td>{clip(c.incoming)}</td>
                  <td className={c.winner === 'file' ? 'wins-file' : 'wins-local'}>{c.winner === 'file' ? 'the file’s' : 'yours'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      {props.settingsDiffer.length > 0 && (
        <label className="check">
          <input type="checkbox" checked={props.useSettings} onChange={(e) => props.onUseSettings(e.target.checked)} />
          <span>Also use the file’s settings ({props.settingsDiffer.join(', ')})</span>
        </label>
      )}
      <div className="actions">
        <button type="button" className="primary" onClick={props.onConfirm} disabled={props.busy || (s.unchanged && !props.useSettings)}>
          Import
        </button>
        <button type="button" onClick={props.onCancel} disabled={props.busy}>
          Cancel
        </button>
      </div>
    </section>
  );
}
