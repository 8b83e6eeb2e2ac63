/**
 * The export reminder, for any page of the library: shown when the last whole-library export is older
 * than the reader's `exportReminderDays` setting (0: never). SyncPanel shows it with an "Export now"
 * button; elsewhere (the library's list view) it links to Sync & backup.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { db as defaultDb } from '@/lib/db';
import { updatedRange } from '@/lib/db/queries';
import type { MarginsDB } from '@/lib/db/schema';
import { loadSettings, settingsItem } from '@/lib/settings';
import { exportReminderDue, lastExportItem } from '@/lib/sync/reminder';

/** Days since the last export when a reminder is due, else null (also while loading). */
export function useExportReminder(db: MarginsDB, now: () => number = Date.now): { dueDays: number | null; lastExportAt: number } {
  const [reminderDays, setReminderDays] = useState<number | null>(null);
  const [lastExportAt, setLastExportAt] = useState(0);
  // The oldest clock in the library stands for "when this library began" (the packs' summaries know it).
  const oldest = useLiveQuery(async () => (await updatedRange(db)).oldest, [db]) ?? 0;
  useEffect(() => {
    void loadSettings().then((s) => setReminderDays(s.exportReminderDays));
    void lastExportItem.getValue().then(setLastExportAt);
    const unwatchSettings = settingsItem.watch((s) => setReminderDays(s?.exportReminderDays ?? null));
    const unwatchExport = lastExportItem.watch((t) => setLastExportAt(t ?? 0));
    return () => {
      unwatchSettings();
      unwatchExport();
    };
  }, []);
  const dueDays = reminderDays === null ? null : exportReminderDue({ now: now(), reminderDays, lastExportAt, oldestAnnotation: oldest });
  return { dueDays, lastExportAt };
}

export function reminderText(dueDays: number, lastExportAt: number): string {
  return `${lastExportAt ? `Your last export was ${dueDays.toLocaleString('en-US')} ${dueDays === 1 ? 'day' : 'days'} ago.` : 'You have not exported your library yet.'} Everything lives in this browser only: an export is your backup.`;
}

export interface ExportReminderProps {
  db?: MarginsDB;
  now?: () => number;
  /** What "Export now" does; without it, a link to the Sync & backup view. */
  onExport?(): void;
  busy?: boolean;
}

export function ExportReminder(props: ExportReminderProps) {
  const { dueDays, lastExportAt } = useExportReminder(props.db ?? defaultDb, props.now);
  if (dueDays === null) return null;
  return (
    <div className="export-reminder" role="note" data-testid="export-reminder">
      <span>{reminderText(dueDays, lastExportAt)}</span>
      {props.onExport ? (
        <button type="button" className="primary" disabled={props.busy} onClick={props.onExport}>
          Export now
        </button>
      ) : (
        <a href="?view=settings">Export in Sync &amp; backup</a>
      )}
    </div>
  );
}
