/**
 * "Sync & backup" in the library: export (all, starred, one tag; JSON, BibTeX, CSV, Markdown), import
 * with a preview and a confirm, durable storage, the export reminder and optional folder sync.
 *
 * Exports are built here (the page shares the database's origin), from the records the library page
 * already holds in memory when it has them (`records`). An import is the background's: this page puts
 * the picked file in the database's inbox, the background validates it, plans the merge and holds the
 * plan for the preview (`sync.preview`), and the confirm (`sync.import`) writes it in one transaction,
 * or plans again when something was written since (see StagedImports in lib/sync/import.ts).
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useContext, useEffect, useId, useState } from 'react';
import { browser } from 'wxt/browser';
import { db as defaultDb } from '@/lib/db';
import { starredCount, tagCounts } from '@/lib/db/queries';
import type { MarginsDB } from '@/lib/db/schema';
import type { LibraryRecords } from '@/lib/library/store';
import { ask as defaultAsk } from '@/lib/messaging/client';
import type { Request, ResponseMap } from '@/lib/messaging/protocol';
import { type Settings, loadSettings, settingsItem } from '@/lib/settings';
import { type ExportFormat, exportLibrary } from '@/lib/sync/export';
import { CARRIED_SETTINGS, type ExportFile, type ExportFilter, checkFileSize } from '@/lib/sync/format';
import type { DeviceDB } from '@/lib/sync/folder';
import { type FileHeader, type ImportSummary, stageImport } from '@/lib/sync/import';
import { lastExportItem } from '@/lib/sync/reminder';
import { ExportReminder } from './ExportReminder';
import { ImportPreview } from './ImportPreview';
import { PanelShown } from './panel-shown';
import { ProgressLine, useDelayedProgress } from './Progress';
import { useFolderSync } from './useFolderSync';
import './sync.css';

type Ask = <T extends Request>(request: T) => Promise<ResponseMap[T['type']]>;

/** The parts of navigator.storage the panel uses (absent in some contexts). */
export interface StorageLike {
  persisted(): Promise<boolean>;
  persist(): Promise<boolean>;
  estimate(): Promise<{ usage?: number; quota?: number }>;
}

export type Download = (text: string, filename: string, mime: string) => void;

/**
 * Save a file through the browser's downloads (an anchor with `download`). The text comes in pieces
 * (an export's `parts`): see serializeExportParts for why.
 */
export function downloadParts(parts: readonly string[], filename: string, mime: string): void {
  const url = URL.createObjectURL(new Blob(parts as string[], { type: `${mime};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: the download reads the blob after this returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export interface SyncPanelProps {
  db?: MarginsDB;
  ask?: Ask;
  storage?: StorageLike | null;
  /** Where downloads go (tests capture them); the browser's downloads by default. */
  download?: Download;
  /**
   * The annotations and papers as the page holds them in memory, with every change seen so far
   * (LibraryStore.records): exports start from them instead of reading both tables again. Null, or
   * absent, reads the database.
   */
  records?: () => Promise<LibraryRecords | null>;
  /** Device-local database for folder sync (tests pass their own). */
  device?: DeviceDB;
  now?: () => number;
}

const num = (n: number) => n.toLocaleString('en-US');
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  return `${Math.max(1, Math.round(n / 1e3))} kB`;
}

function appName(): string | undefined {
  try {
    return `Margins ${browser.runtime.getManifest().version}`;
  } catch {
    return undefined;
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The carried settings in a file that differ from this device's. */
function differingSettings(file: Pick<ExportFile, 'settings'>, current: Settings): string[] {
  const labels: Record<(typeof CARRIED_SETTINGS)[number], string> = {
    shortcuts: 'keyboard shortcuts',
    starredOnListings: 'starred papers on listings',
    seenOnListings: 'seen papers on listings',
    markNew: 'marking new papers',
    exportReminderDays: 'export reminder',
  };
  if (!file.settings) return [];
  return CARRIED_SETTINGS.filter((k) => file.settings![k] !== undefined && file.settings![k] !== current[k]).map((k) => labels[k]);
}

function resultText(s: ImportSummary): string {
  if (s.unchanged) return 'Imported: nothing changed, this library already had everything in the file.';
  const parts: string[] = [];
  if (s.papersAdded) parts.push(`${plural(s.papersAdded, 'paper')} added`);
  if (s.papersUpdated) parts.push(`${plural(s.papersUpdated, 'paper')} updated`);
  parts.push(plural(s.fieldsChanged, 'change'));
  if (s.tagsCreated.length) parts.push(`new ${s.tagsCreated.length === 1 ? 'tag' : 'tags'}: ${s.tagsCreated.join(', ')}`);
  if (s.notesKept) parts.push(`${plural(s.notesKept, 'older note')} kept in history`);
  return `Imported: ${parts.join(', ')}.`;
}

type ImportState =
  | { kind: 'idle' }
  // `staged`: the file's key in the inbox; the background holds its plan until the confirm.
  | { kind: 'preview'; fileName: string; header: FileHeader; summary: ImportSummary; settingsDiffer: string[]; staged: string }
  | { kind: 'done'; summary: ImportSummary };

export function SyncPanel(props: SyncPanelProps) {
  const db = props.db ?? defaultDb;
  const ask: Ask = props.ask ?? defaultAsk;
  const { records, download } = props;
  const now = props.now ?? Date.now;
  const ids = useId();
  const { busy, progress, run } = useDelayedProgress();

  // --- export -----------------------------------------------------------------------------
  const shown = useContext(PanelShown);
  const tags = useLiveQuery(async () => (shown ? [...(await tagCounts(db)).keys()].sort() : []), [db, shown]) ?? [];
  const starredTotal = useLiveQuery(() => (shown ? starredCount(db) : 0), [db, shown]) ?? 0;
  const [scope, setScope] = useState<'all' | 'starred' | 'tag'>('all');
  const [tag, setTag] = useState('');
  const [format, setFormat] = useState<ExportFormat>('json');
  const [exportMessage, setExportMessage] = useState('');
  const [error, setError] = useState('');
  const chosenTag = tags.includes(tag) ? tag : (tags[0] ?? '');
  const filter: ExportFilter | null =
    scope === 'all' ? { kind: 'all' } : scope === 'starred' ? { kind: 'starred' } : chosenTag ? { kind: 'tag', tag: chosenTag } : null;

  const exportNow = useCallback(
    async (fmt: ExportFormat, f: ExportFilter) => {
      setError('');
      setExportMessage('');
      try {
        await run('Exporting', async (report) => {
          const out = await exportLibrary(db, {
            format: fmt,
            filter: f,
            records: await records?.(),
            settings: await loadSettings(),
            app: appName(),
            onProgress: (done, total, label) => report({ label, done, total }),
          });
          if (download) download(out.text, out.filename, out.mime);
          else downloadParts(out.parts, out.filename, out.mime);
          if (fmt === 'json' && f.kind === 'all') await lastExportItem.setValue(now());
          setExportMessage(`Exported ${plural(out.count, 'paper')} to ${out.filename}.`);
        });
      } catch (err) {
        setError(`Export failed: ${errorText(err)}`);
      }
    },
    [db, download, records, now, run],
  );

  // --- import -----------------------------------------------------------------------------
  const [importState, setImportState] = useState<ImportState>({ kind: 'idle' });
  const [useSettings, setUseSettings] = useState(false);

  // The file in the inbox, its plan held by the background until the confirm.
  const staged = importState.kind === 'preview' ? importState.staged : null;
  useEffect(() => {
    if (!staged) return;
    // Asking now and then keeps the held plan (and an MV3 worker, stopped after 30 s without events)
    // alive while the reader reads the preview.
    const timer = setInterval(() => void ask({ type: 'sync.keep', staged }).catch(() => undefined), 20_000);
    return () => clearInterval(timer);
  }, [ask, staged]);
  const discard = (key: string) => void ask({ type: 'sync.discard', staged: key }).catch(() => undefined);

  /**
   * The picked file goes to the background as it is, through the inbox (the page does not read it):
   * the background reads, validates and plans it, and holds the plan for the confirm. This page used to
   * preview a usual sync from the records it holds; at 50,000 papers the background is faster for every
   * file (the sync bench, both ways on the same day: a usual sync 1.8 s against 3.0 s, every paper
   * changed 2.6 s against 3.8 s), as reading and validating 28 MB took 1.7-2.3 s in a page that holds
   * the whole library and 0.7-1.3 s in the background.
   */
  const onPick = async (input: HTMLInputElement) => {
    const picked = input.files?.[0];
    input.value = ''; // picking the same file again must work
    if (!picked) return;
    setError('');
    setExportMessage('');
    if (staged) discard(staged);
    setImportState({ kind: 'idle' });
    setUseSettings(false);
    try {
      await run('Checking the file', async (report) => {
        performance.mark('margins:preview-start');
        checkFileSize(picked.size);
        report({ label: 'Checking the file and comparing it with your library' });
        const key = await stageImport(db, picked);
        performance.mark('margins:preview-staged');
        const { summary, header } = await ask({ type: 'sync.preview', staged: key });
        performance.mark('margins:preview-answered');
        const settingsDiffer = differingSettings(header, await loadSettings());
        setImportState({ kind: 'preview', fileName: picked.name, staged: key, header, summary, settingsDiffer });
      });
    } catch (err) {
      setError(errorText(err));
    }
  };

  const onConfirm = async () => {
    if (importState.kind !== 'preview') return;
    const { header, summary: previewed, staged: key } = importState;
    try {
      await run(`Importing ${plural(previewed.papersInFile, 'paper')}`, async () => {
        performance.mark('margins:import-send');
        const summary = await ask({ type: 'sync.import', staged: key });
        performance.mark('margins:import-answered');
        if (useSettings && header.settings) await settingsItem.setValue({ ...(await loadSettings()), ...header.settings });
        setImportState({ kind: 'done', summary });
      });
    } catch (err) {
      setError(errorText(err));
      // The background let go of the file (nothing was imported): trying again starts from the file.
      setImportState({ kind: 'idle' });
    }
  };

  const onCancel = () => {
    if (staged) discard(staged);
    setImportState({ kind: 'idle' });
  };

  // --- storage ----------------------------------------------------------------------------
  const storage = props.storage === undefined ? (globalThis.navigator?.storage as StorageLike | undefined) ?? null : props.storage;
  const [persisted, setPersisted] = useState<boolean | null>(null);
  const [usage, setUsage] = useState<number | null>(null);
  const [persistAnswer, setPersistAnswer] = useState('');
  useEffect(() => {
    if (!storage) return;
    void storage.persisted().then(setPersisted, () => setPersisted(null));
    void storage.estimate().then((e) => setUsage(e.usage ?? null), () => setUsage(null));
  }, [storage, importState]);
  const askPersist = async () => {
    if (!storage) return;
    const granted = await storage.persist();
    setPersisted(granted);
    setPersistAnswer(
      granted
        ? 'The browser agreed: it will not clear Margins’ data on its own.'
        : 'The browser said no for now (Chromium decides by how much you use the extension). Export regularly to be safe.',
    );
  };

  // --- folder sync ------------------------------------------------------------------------
  const importFile = useCallback(async (file: ExportFile) => ask({ type: 'sync.import', staged: await stageImport(db, file) }), [ask, db]);
  const onWrote = useCallback((at: number) => void lastExportItem.setValue(at), []);
  const folder = useFolderSync({ db, importFile, onWrote, device: props.device, records });

  return (
    <section className="sync-panel" aria-labelledby={`${ids}-heading`}>
      <h2 id={`${ids}-heading`}>Sync &amp; backup</h2>
      <p className="muted">
        Move your stars, tags and notes to another browser with an export file: importing merges it, field by field, and the newer change wins. Nothing is
        overwritten blindly and no note text is lost.
      </p>

      <ExportReminder db={db} now={now} busy={busy} onExport={() => void exportNow('json', { kind: 'all' })} />

      <fieldset className="sync-export" disabled={busy}>
        <legend>Export</legend>
        <div className="sync-row">
          <label>
            <span>Papers</span>
            <select value={scope} onChange={(e) => setScope(e.target.value as typeof scope)}>
              <option value="all">All papers</option>
              <option value="starred">Starred ({num(starredTotal)})</option>
              <option value="tag" disabled={!tags.length}>
                One tag
              </option>
            </select>
          </label>
          {scope === 'tag' && (
            <label>
              <span>Tag</span>
              <select value={chosenTag} onChange={(e) => setTag(e.target.value)}>
                {tags.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label>
            <span>Format</span>
            <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
              <option value="json">Margins file (JSON): sync and backup</option>
              <option value="bibtex">BibTeX (.bib)</option>
              <option value="csv">CSV (spreadsheets)</option>
              <option value="markdown">Markdown reading list</option>
            </select>
          </label>
          <button type="button" className="primary" disabled={!filter} onClick={() => filter && void exportNow(format, filter)}>
            Export
          </button>
        </div>
        {format !== 'json' && <p className="muted hint">Only a Margins file can be imported again; the other formats are for other tools.</p>}
        {exportMessage && (
          <p role="status" className="ok">
            {exportMessage}
          </p>
        )}
      </fieldset>

      <fieldset className="sync-import" disabled={busy}>
        <legend>Import</legend>
        <label className="file-pick">
          <span>Import a Margins file…</span>
          <input type="file" accept=".json,application/json" onChange={(e) => void onPick(e.currentTarget)} />
        </label>
        <p className="muted hint">You will see what changes before anything does.</p>
      </fieldset>

      <ProgressLine progress={progress} />
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {importState.kind === 'preview' && (
        <ImportPreview
          fileName={importState.fileName}
          file={importState.header}
          summary={importState.summary}
          settingsDiffer={importState.settingsDiffer}
          useSettings={useSettings}
          onUseSettings={setUseSettings}
          busy={busy}
          onConfirm={() => void onConfirm()}
          onCancel={onCancel}
        />
      )}
      {importState.kind === 'done' && (
        <p role="status" className="ok" data-testid="import-result">
          {resultText(importState.summary)}
        </p>
      )}

      <fieldset className="sync-storage">
        <legend>Storage</legend>
        {storage ? (
          <>
            <p data-testid="storage-state">
              {persisted === null
                ? 'Checking storage…'
                : persisted
                  ? 'Persistent: the browser will not clear Margins’ data to free space.'
                  : 'Not persistent: under disk pressure the browser may clear Margins’ data.'}
              {usage !== null && <> Margins uses {formatBytes(usage)}.</>}
            </p>
            {persisted === false && (
              <button type="button" onClick={() => void askPersist()}>
                Ask the browser to keep Margins’ data
              </button>
            )}
            {persistAnswer && <p role="status">{persistAnswer}</p>}
          </>
        ) : (
          <p className="muted">This browser does not report storage details.</p>
        )}
      </fieldset>

      {folder.state.status !== 'unsupported' && (
        <fieldset className="sync-folder">
          <legend>Sync folder (optional)</legend>
          <p className="muted hint">
            Pick a folder that Dropbox, Google Drive or Syncthing keeps in sync. While this page is open, Margins keeps <code>margins-sync.json</code> there:
            it merges in what other devices wrote and writes your changes back.
          </p>
          {folder.state.status === 'off' ? (
            <button type="button" onClick={() => void folder.choose()}>
              Choose a folder…
            </button>
          ) : (
            <>
              <p data-testid="folder-state">
                Folder <strong>{folder.state.folderName}</strong>:{' '}
                {folder.state.status === 'syncing'
                  ? 'syncing…'
                  : folder.state.status === 'needs-permission'
                    ? 'Margins needs your permission again (the browser asks after a restart).'
                    : folder.state.status === 'error'
                      ? folder.state.error
                      : folder.state.memo.lastSyncAt
                        ? `in sync (checked ${new Date(folder.state.memo.lastSyncAt).toLocaleTimeString()}).`
                        : 'ready.'}
              </p>
              {folder.state.lastMerged && !folder.state.lastMerged.unchanged && (
                <p className="muted">Last merge from the folder: {resultText(folder.state.lastMerged).replace(/^Imported: /, '')}</p>
              )}
              <div className="actions">
                {folder.state.status === 'needs-permission' ? (
                  <button type="button" className="primary" onClick={() => void folder.reconnect()}>
                    Reconnect
                  </button>
                ) : (
                  <button type="button" onClick={() => void folder.syncNow()} disabled={folder.state.status === 'syncing'}>
                    Sync now
                  </button>
                )}
                <button type="button" onClick={() => void folder.stop()}>
                  Stop using this folder
                </button>
              </div>
            </>
          )}
        </fieldset>
      )}
    </section>
  );
}
