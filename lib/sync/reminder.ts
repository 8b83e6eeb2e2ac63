/**
 * The export reminder: a library that lives in one browser profile is one lost profile away from
 * gone, so the library page reminds the reader to export when the last export is older than the
 * `exportReminderDays` setting (0: never). A folder-sync write counts as an export.
 */
import { localItem } from '@/lib/local-item';

/** When this device last wrote a whole-library export (ms since the epoch; 0: never). */
export const lastExportItem = localItem<number>('lastExportAt', 0);

const DAY = 24 * 60 * 60 * 1000;

export interface ReminderInput {
  now: number;
  reminderDays: number;
  lastExportAt: number;
  /** When the reader first annotated a paper here (0: the library is empty). */
  oldestAnnotation: number;
}

/** Days since the last export (or since the library began) when a reminder is due, else null. */
export function exportReminderDue({ now, reminderDays, lastExportAt, oldestAnnotation }: ReminderInput): number | null {
  if (reminderDays <= 0 || oldestAnnotation <= 0) return null;
  const since = lastExportAt > 0 ? lastExportAt : oldestAnnotation;
  const days = Math.floor((now - since) / DAY);
  return now - since >= reminderDays * DAY ? days : null;
}
